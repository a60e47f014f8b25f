package io.medssl.inference.rest;

import io.medssl.inference.predict.Prediction;
import io.medssl.inference.predict.PredictionService;
import io.medssl.inference.predict.ProblemException;
import io.medssl.inference.registry.LoadedModel;
import io.medssl.inference.registry.ModelCatalog;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.QueryParam;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import io.medssl.contracts.Problem;
import java.util.ArrayList;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** DICOM predictions and model lifecycle (which version is served, pin, roll back). */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class PredictResource {
    static final String DICOM = "application/dicom";

    private final ModelCatalog catalog;
    private final PredictionService predictions;

    public PredictResource(ModelCatalog catalog, PredictionService predictions) {
        this.catalog = catalog;
        this.predictions = predictions;
    }

    /** Every model name with its loaded versions, the served one and the pin. */
    @GET
    @Path("/models")
    public List<Map<String, Object>> models() {
        return catalog.names().stream().map(this::describe).toList();
    }

    @GET
    @Path("/models/{name}")
    public Map<String, Object> model(@PathParam("name") String name) {
        serving(name);
        return describe(name);
    }

    private Map<String, Object> describe(String name) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        catalog.serving(name).ifPresent(s -> {
            m.put("version", s.version());
            m.put("task", s.manifest().task());
            m.put("labels", s.labels());
            m.put("metrics", s.manifest().metrics());
            m.put("inputShape", List.of(1, s.manifest().network().inputSize(), s.manifest().network().inputSize()));
        });
        m.put("loadedVersions", catalog.loadedVersions(name));
        m.put("pinnedVersion", catalog.pinned(name).orElse(null));
        return m;
    }

    /** Serve {@code version} until unpinned; pinning an older version is a rollback. Body: {"version": N}. */
    @PUT
    @Path("/models/{name}/pin")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> pin(@PathParam("name") String name, Map<String, Object> body) {
        Object version = body == null ? null : body.get("version");
        if (!(version instanceof Number n)) {
            throw new ProblemException(400, "Version required", "send {\"version\": <number>}");
        }
        catalog.pin(name, n.intValue());
        return describe(name);
    }

    /** Back to serving the newest version. */
    @DELETE
    @Path("/models/{name}/pin")
    public Map<String, Object> unpin(@PathParam("name") String name) {
        catalog.unpin(name).orElseThrow(() -> notFound(name));
        return describe(name);
    }

    /**
     * Classifies one DICOM instance (the body, {@code application/dicom}) with the named model;
     * {@code ?saliency=true} adds an occlusion saliency map (PNG, base64).
     */
    @POST
    @Path("/models/{name}/predict")
    @Consumes({DICOM, MediaType.APPLICATION_OCTET_STREAM})
    public Prediction predict(@PathParam("name") String name, @QueryParam("saliency") boolean saliency, InputStream body) {
        return predictions.predictDicom(serving(name), body, "predict", saliency);
    }

    /**
     * Classifies several DICOM instances sent as {@code multipart/related; type="application/dicom"}
     * (the DICOMweb way). Answers one entry per part, in order: a prediction, or a problem for a
     * part that is not a decodable image, so one bad part does not fail the others.
     */
    @POST
    @Path("/models/{name}/predict")
    @Consumes("multipart/related")
    public List<Object> predictMany(@PathParam("name") String name, @HeaderParam("Content-Type") String contentType,
                                    @QueryParam("saliency") boolean saliency, InputStream body) {
        LoadedModel model = serving(name);
        List<Object> answers = new ArrayList<>();
        MimeMultipart parts;
        try {
            parts = new MimeMultipart(new ByteArrayDataSource(body, contentType));
            int count = parts.getCount();
            if (count == 0) {
                throw new ProblemException(400, "Empty multipart request", "no DICOM parts in the request");
            }
            for (int i = 0; i < count; i++) {
                BodyPart part = parts.getBodyPart(i);
                String type = part.getContentType() == null ? "" : part.getContentType().toLowerCase();
                if (!type.startsWith(DICOM)) {
                    answers.add(Problem.of(415, "Not application/dicom", "part " + i + " has content type " + type));
                    continue;
                }
                try (InputStream in = part.getInputStream()) {
                    answers.add(predictions.predictDicom(model, in, "predict-multipart", saliency));
                } catch (ProblemException e) {
                    answers.add(Problem.of(e.status(), e.title(), e.getMessage()));
                }
            }
        } catch (MessagingException | java.io.IOException e) {
            throw new ProblemException(400, "Malformed multipart request", e.getMessage());
        }
        return answers;
    }

    /** Classifies one DICOM instance with the most recently published model. */
    @POST
    @Path("/predict")
    @Consumes({DICOM, MediaType.APPLICATION_OCTET_STREAM})
    public Prediction predictWithNewest(@QueryParam("saliency") boolean saliency, InputStream body) {
        LoadedModel model = catalog.newest()
                .orElseThrow(() -> new ProblemException(503, "No model loaded", "no model has been published yet", 10));
        return predictions.predictDicom(model, body, "predict", saliency);
    }

    private LoadedModel serving(String name) {
        return catalog.serving(name).orElseThrow(() -> notFound(name));
    }

    private static ProblemException notFound(String name) {
        return new ProblemException(404, "Model not found", "no model named '" + name + "' is loaded");
    }
}
