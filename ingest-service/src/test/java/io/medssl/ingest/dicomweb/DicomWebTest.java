package io.medssl.ingest.dicomweb;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.medssl.ingest.deid.Pseudonymizer;
import io.medssl.kafka.KafkaBrokerTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.activation.DataHandler;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * STOW-RS stores what it can and says per instance what it could not (PS3.18 status and failure
 * reasons); QIDO-RS finds studies, series and instances in the de-identified index by pseudonym
 * and never answers an original identifier.
 */
@QuarkusTest
@TestProfile(DicomWebTest.Profile.class)
@QuarkusTestResource(KafkaBrokerTestResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DicomWebTest {
    static final Path SAMPLES = Path.of(System.getProperty("test.samples.dir"));
    static final String CT_STUDY = "1.2.826.0.1.3680043.2.307.62.48865.356531.1";
    static final String CT_INSTANCE = "1.2.826.0.1.3680043.2.307.62.48865.356531.1.534.1.5";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // One result per request at most, so paging and the "more results" warning show with two studies.
            return Map.of("medssl.dataset", "dicomweb", "medssl.query.max-results", "1");
        }
    }

    @Inject
    Pseudonymizer pseudonyms;

    /** A multipart/related body; each part is (content type, bytes). */
    private static Response stow(String path, String type, List<Map.Entry<String, byte[]>> parts) throws Exception {
        MimeMultipart multipart = new MimeMultipart("related");
        for (var part : parts) {
            MimeBodyPart body = new MimeBodyPart();
            body.setDataHandler(new DataHandler(new ByteArrayDataSource(part.getValue(), part.getKey())));
            body.setHeader("Content-Type", part.getKey());
            multipart.addBodyPart(body);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        multipart.writeTo(out);
        String contentType = multipart.getContentType().replaceAll("\\s+", " ") + "; type=\"" + type + "\"";
        return given().header("Content-Type", contentType).body(out.toByteArray()).post(path);
    }

    private static Map.Entry<String, byte[]> dicom(String sample) throws Exception {
        return Map.entry("application/dicom", Files.readAllBytes(SAMPLES.resolve(sample)));
    }

    @Test
    @Order(1)
    void stowStoresGoodPartsAndNamesTheFailedOnes() throws Exception {
        byte[] ct = Files.readAllBytes(SAMPLES.resolve("CT-JPEGLosslessSV1.dcm"));
        Response r = stow("/dicomweb/studies", "application/dicom", List.of(
                dicom("CT-JPEGLosslessSV1.dcm"),
                dicom("MR2_UNC"),
                Map.entry("application/dicom", Arrays.copyOf(ct, 600)),
                Map.entry("text/plain", "not an image".getBytes())));
        r.then().statusCode(202).contentType("application/dicom+json")
                .body("'00081199'.Value", hasSize(2))
                .body("'00081199'.Value[0].'00081155'.Value[0]", equalTo(CT_INSTANCE))
                .body("'00081198'.Value", hasSize(2))
                .body("'00081198'.Value[0].'00081197'.Value[0]", equalTo(0xC000))
                .body("'00081198'.Value[1].'00081197'.Value[0]", equalTo(0xC000));

        // To a study: an object of another study is refused (0xA900) and not stored.
        stow("/dicomweb/studies/1.2.3.4", "application/dicom", List.of(dicom("test16signed.dcm")))
                .then().statusCode(409)
                .body("'00081198'.Value[0].'00081197'.Value[0]", equalTo(0xA900));
        stow("/dicomweb/studies/" + CT_STUDY, "application/dicom", List.of(dicom("CT-JPEGLosslessSV1.dcm")))
                .then().statusCode(200).body("'00081199'.Value", hasSize(1));

        stow("/dicomweb/studies", "application/json", List.of(dicom("MR2_UNC")))
                .then().statusCode(415).contentType("application/problem+json");
        given().header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=nothing-here")
                .body("garbage without parts".getBytes()).post("/dicomweb/studies")
                .then().statusCode(400).contentType("application/problem+json");
        given().header("Content-Type", "application/dicom").body(ct).post("/dicomweb/studies").then().statusCode(415);
    }

    @Test
    @Order(2)
    void qidoFindsStudiesSeriesAndInstancesByPseudonym() {
        String study = pseudonyms.uid(CT_STUDY);
        String instance = pseudonyms.uid(CT_INSTANCE);
        // Two studies, one answered per request: the first answer says more can be asked for.
        String first = given().get("/dicomweb/studies").then().statusCode(200).contentType("application/dicom+json")
                .header("Warning", containsString("Additional results can be requested"))
                .body("size()", equalTo(1)).extract().asString();
        String second = given().get("/dicomweb/studies?offset=1").then().statusCode(200).header("Warning", nullValue())
                .body("size()", equalTo(1)).extract().asString();
        assertThat(first).isNotEqualTo(second);
        assertThat(first + second).contains(study).doesNotContain(CT_STUDY);
        given().get("/dicomweb/studies?offset=2").then().statusCode(200).body("size()", equalTo(0));

        given().get("/dicomweb/studies?ModalitiesInStudy=CT").then().statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].'0020000D'.Value[0]", equalTo(study))
                .body("[0].'00201208'.Value[0]", equalTo(1));
        given().get("/dicomweb/studies?0020000D=" + study.substring(0, 8) + "*").then().statusCode(200)
                .body("size()", equalTo(1));
        given().get("/dicomweb/studies/" + study + "/series").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].'00080060'.Value[0]", equalTo("CT"));
        given().get("/dicomweb/instances?SOPInstanceUID=" + instance).then().statusCode(200)
                .body("[0].'00080018'.Value[0]", equalTo(instance))
                .body("[0].'00280010'.Value[0]", equalTo(512));
        given().get("/dicomweb/studies?limit=1&offset=1").then().statusCode(200).header("Warning", nullValue())
                .body("size()", equalTo(1));
        given().get("/dicomweb/studies?PatientName=DOE*&limit=1").then().statusCode(200)
                .header("Warning", containsString("PatientName"));
        given().get("/dicomweb/studies?limit=-1").then().statusCode(400).contentType("application/problem+json");
        given().get("/dicomweb/instances?offset=ten").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("whole numbers"));
        // The REST view of the index pages the same way.
        given().get("/api/v1/instances").then().statusCode(200)
                .header("Warning", containsString("Additional results")).body("size()", equalTo(1));
        given().get("/api/v1/instances?offset=1&limit=1").then().statusCode(200).body("size()", equalTo(1));
        given().get("/dicomweb/studies?StudyInstanceUID=" + CT_STUDY).then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    @Order(3)
    void anOversizeUploadIsRefusedWith413AndAProblemBody() throws Exception {
        // Announced as 2 GiB (over quarkus.http.limits.max-body-size, 1 GiB): refused before any
        // of the body is read, so the sender learns at once and nothing is spooled.
        int port = io.restassured.RestAssured.port;
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            String head = "POST /dicomweb/studies HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: multipart/related; type=\"application/dicom\"; boundary=b\r\n"
                    + "Content-Length: 2147483648\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readNBytes(2048), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 413");
            assertThat(answer).containsIgnoringCase("content-type: application/problem+json");
            assertThat(answer).contains("\"status\":413");
        }
    }

    @Test
    @Order(4)
    void objectsTruncatedAnywhereAreRefusedOrKeptAsUndecodableNeverDecodedToGarbage() throws Exception {
        // A fresh object (the test application and its index are shared with other tests).
        String uid = "2.25." + new java.math.BigInteger(96, new java.util.Random(System.nanoTime()));
        short[] hu = new short[64 * 64];
        for (int i = 0; i < hu.length; i++) {
            hu[i] = (short) ((i * 7) % 1000 - 500);
        }
        Path file = Files.createTempFile("truncated", ".dcm");
        io.medssl.dicom.ImageObjectWriter.writeCt(new io.medssl.dicom.SyntheticImage("CUT^TEST", "CUT-1", "19700101", "O",
                uid + ".1", uid + ".2", uid + ".3", "", "20260101", "120000", "CUT", 64, 64, hu, 1.0, 40, 400), file);
        byte[] whole = Files.readAllBytes(file);
        int[] cuts = {0, 10, 132, 300, 700, whole.length / 2, whole.length - 2};
        List<Map.Entry<String, byte[]>> parts = new java.util.ArrayList<>();
        for (int cut : cuts) {
            parts.add(Map.entry("application/dicom", Arrays.copyOf(whole, cut)));
        }
        Response r = stow("/dicomweb/studies", "application/dicom", parts);
        assertThat(r.statusCode()).isIn(200, 202, 409);
        List<Object> stored = r.jsonPath().getList("'00081199'.Value");
        List<Integer> reasons = r.jsonPath().getList("'00081198'.Value.collect { it.'00081197'.Value[0] }", Integer.class);
        int storedCount = stored == null ? 0 : stored.size();
        int failedCount = reasons == null ? 0 : reasons.size();
        assertThat(storedCount + failedCount).as("every part answered").isEqualTo(cuts.length);
        if (reasons != null) {
            assertThat(reasons).allSatisfy(code -> assertThat(code).isEqualTo(0xC000));
        }
        // Whatever was kept of it is marked undecodable with a reason, never decoded from a partial object.
        Response instance = given().get("/api/v1/instances/" + pseudonyms.uid(uid + ".3"));
        if (instance.statusCode() == 200) {
            instance.then().body("decodable", equalTo(false)).body("undecodableReason", org.hamcrest.Matchers.notNullValue());
        } else {
            assertThat(instance.statusCode()).isEqualTo(404);
        }
        given().get("/q/health/live").then().statusCode(200);
    }
}
