package io.medssl.ingest.dicomweb;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.medssl.contracts.Problem;
import io.medssl.ingest.config.IngestConfig;
import io.medssl.ingest.service.IngestService;
import jakarta.activation.DataSource;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.ParseException;
import jakarta.mail.util.SharedFileInputStream;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * STOW-RS (PS3.18 10.5): {@code POST /dicomweb/studies[/{study}]} with
 * {@code multipart/related; type="application/dicom"}. Each part goes through the same path as a
 * C-STORE (durably stored, de-identified, decoded, indexed, announced) before the answer; the answer
 * lists what was stored (ReferencedSOPSequence) and what was not, with a failure reason
 * (FailedSOPSequence): 200 all stored, 202 some, 409 none. The request body is spooled to a file
 * first, so a large study does not have to fit in memory.
 */
@Path("/dicomweb")
public class StowResource {
    static final String DICOM = "application/dicom";
    static final String DICOM_JSON = "application/dicom+json";
    private static final Logger LOG = Logger.getLogger(StowResource.class);

    private final IngestService ingest;
    private final java.nio.file.Path incoming;

    public StowResource(IngestService ingest, IngestConfig config) {
        this.ingest = ingest;
        this.incoming = config.storage().root().resolve("ingest/incoming");
    }

    @POST
    @Path("/studies")
    @Consumes("multipart/related")
    @Produces({DICOM_JSON, Problem.MEDIA_TYPE})
    public Response store(@HeaderParam("Content-Type") String contentType, InputStream body) throws IOException {
        return stow(contentType, body, null);
    }

    @POST
    @Path("/studies/{study}")
    @Consumes("multipart/related")
    @Produces({DICOM_JSON, Problem.MEDIA_TYPE})
    public Response storeToStudy(@PathParam("study") String study, @HeaderParam("Content-Type") String contentType,
                                 InputStream body) throws IOException {
        return stow(contentType, body, study);
    }

    private Response stow(String contentType, InputStream body, String study) throws IOException {
        try {
            String type = new ContentType(contentType).getParameter("type");
            if (type != null && !DICOM.equalsIgnoreCase(type.trim())) {
                return problem(415, "Unsupported media type", "STOW-RS here takes multipart/related; type=\"application/dicom\", not "
                        + type);
            }
        } catch (ParseException e) {
            return problem(400, "Malformed Content-Type", "the multipart/related content type could not be parsed");
        }
        Files.createDirectories(incoming);
        java.nio.file.Path spool = incoming.resolve("stow-" + UUID.randomUUID() + ".part");
        SpooledBody spooled = new SpooledBody(spool, contentType);
        try {
            Files.copy(body, spool, StandardCopyOption.REPLACE_EXISTING);
            MimeMultipart parts = new MimeMultipart(spooled);
            int count = parts.getCount();
            if (count == 0) {
                return problem(400, "Empty request", "the multipart request has no parts");
            }
            ObjectNode answer = DicomJson.object();
            ArrayNode referenced = null;
            ArrayNode failed = null;
            for (int i = 0; i < count; i++) {
                BodyPart part = parts.getBodyPart(i);
                String partType = part.getContentType() == null ? "" : part.getContentType().toLowerCase();
                IngestService.Outcome outcome;
                if (!partType.startsWith(DICOM)) {
                    outcome = null;
                } else {
                    java.nio.file.Path file = incoming.resolve("stow-" + UUID.randomUUID() + ".dcm.part");
                    try (InputStream in = part.getInputStream(); OutputStream out = Files.newOutputStream(file)) {
                        in.transferTo(out);
                    }
                    outcome = ingest.ingest(file, "STOW-RS", study);
                }
                if (outcome != null && outcome.stored()) {
                    referenced = referenced == null ? DicomJson.sequence(answer, "00081199") : referenced;
                    ObjectNode item = referenced.addObject();
                    DicomJson.string(item, "00081150", "UI", outcome.sopClassUid());
                    DicomJson.string(item, "00081155", "UI", outcome.sopInstanceUid());
                } else {
                    failed = failed == null ? DicomJson.sequence(answer, "00081198") : failed;
                    ObjectNode item = failed.addObject();
                    if (outcome != null && outcome.sopInstanceUid() != null) {
                        DicomJson.string(item, "00081150", "UI", outcome.sopClassUid());
                        DicomJson.string(item, "00081155", "UI", outcome.sopInstanceUid());
                    }
                    int reason = outcome == null ? IngestService.Failure.CANNOT_UNDERSTAND.code() : outcome.failure().code();
                    DicomJson.number(item, "00081197", "US", reason);
                }
            }
            int stored = referenced == null ? 0 : referenced.size();
            LOG.infof("STOW-RS: %d of %d parts stored", stored, count);
            int status = stored == count ? 200 : stored == 0 ? 409 : 202;
            return Response.status(status).type(DICOM_JSON).entity(answer).build();
        } catch (MessagingException e) {
            return problem(400, "Malformed multipart request", "the body is not a readable multipart/related message");
        } finally {
            spooled.close();
            Files.deleteIfExists(spool);
        }
    }

    private static Response problem(int status, String title, String detail) {
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(Problem.of(status, title, detail)).build();
    }

    /** The spooled body as a DataSource whose stream lets MimeMultipart slice parts without copying them. */
    private static final class SpooledBody implements DataSource {
        private final java.nio.file.Path file;
        private final String contentType;
        private final java.util.List<InputStream> opened = new java.util.ArrayList<>();

        SpooledBody(java.nio.file.Path file, String contentType) {
            this.file = file;
            this.contentType = contentType;
        }

        @Override
        public InputStream getInputStream() throws IOException {
            InputStream in = new SharedFileInputStream(file.toFile());
            opened.add(in);
            return in;
        }

        @Override
        public OutputStream getOutputStream() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String getContentType() {
            return contentType;
        }

        @Override
        public String getName() {
            return "stow-rs";
        }

        void close() {
            for (InputStream in : opened) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // a read-only spool file: nothing to lose
                }
            }
        }
    }
}
