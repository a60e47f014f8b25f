package io.medssl.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.medssl.contracts.ModelPublished;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole chain on real parts: a real Kafka broker, the four services as separate processes from
 * their packaged jars, every shared sample sent by dcmtk's storescu, a model trained with
 * DJL/PyTorch, and a prediction over HTTP from that model. If any service does nothing, no model
 * or no prediction appears and this fails.
 */
class ChainIT {
    static final Path REPO = Path.of(System.getProperty("test.repo.dir", "../..")).toAbsolutePath().normalize();
    static final Path SAMPLES = Path.of(System.getProperty("test.samples.dir", REPO.resolve("../shared/dicom-samples").toString()));
    static final ObjectMapper JSON = new ObjectMapper();
    /** SOP Instance UID and StudyInstanceUID of the CT sample (CT-JPEGLosslessSV1.dcm). */
    static final String CT_INSTANCE = "1.2.826.0.1.3680043.2.307.62.48865.356531.1.534.1.5";
    static final String CT_STUDY = "1.2.826.0.1.3680043.2.307.62.48865.356531.1";

    @TempDir
    Path data;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void dicomInPredictionOut() throws Exception {
        SuiteOptions options = new SuiteOptions(REPO, data, "MEDSSL", freePort(), freePort(), freePort(), freePort(),
                freePort(), freePort(), 30, freePort());
        List<Path> samples = MedsslLauncher.dicomFiles(SAMPLES);
        assertThat(samples).hasSize(14);
        try (LocalSuite suite = LocalSuite.start(options)) {
            suite.awaitReady(Duration.ofMinutes(3));
            String storescu = suite.storeWithStorescu(samples);
            // The malformed stream is refused by storescu itself; everything else must be accepted.
            assertThat(storescu).doesNotContain("Store Failed, file: " + SAMPLES.resolve("CT"));
            assertThat(storescu.lines().filter(l -> l.contains("Store Failed"))).allSatisfy(l ->
                    assertThat(l).contains("no_preamble_dicm_in_data"));

            ModelPublished model = suite.awaitModel(Duration.ofMinutes(8), m -> true);
            assertThat(model.name()).isEqualTo(SuiteOptions.DEMO_MODEL);
            assertThat(model.labels()).containsExactly("rot0", "rot90", "rot180", "rot270");
            assertThat(Integer.parseInt(model.lineage().get("train_shards"))).isPositive();
            assertThat(data.resolve("storage").resolve(model.key()).resolve("model-card.md")).isRegularFile();
            assertThat(data.resolve("storage").resolve(model.key()).resolve("model.json")).isRegularFile();

            HttpResponse<String> prediction = null;
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (System.nanoTime() < deadline) {
                prediction = suite.predict(model.name(), SAMPLES.resolve("CT-JPEGLosslessSV1.dcm"));
                if (prediction.statusCode() == 200) {
                    break;
                }
                Thread.sleep(500);
            }
            assertThat(prediction.statusCode()).as(prediction.body()).isEqualTo(200);
            @SuppressWarnings("unchecked")
            Map<String, Object> body = JSON.readValue(prediction.body(), Map.class);
            assertThat(body).containsEntry("model", model.name());
            assertThat(((Number) body.get("version")).intValue()).isGreaterThanOrEqualTo(model.version());
            @SuppressWarnings("unchecked")
            Map<String, Number> probabilities = (Map<String, Number>) body.get("probabilities");
            assertThat(probabilities.keySet()).containsExactlyElementsOf(model.labels());
            assertThat(probabilities.values().stream().mapToDouble(Number::doubleValue).sum()).isBetween(0.999, 1.001);

            // Non-image and undecodable inputs are answered cleanly and the chain keeps running.
            assertThat(suite.predict(model.name(), SAMPLES.resolve("report_dfl")).statusCode()).isEqualTo(422);
            assertThat(suite.predict(model.name(), SAMPLES.resolve("no_preamble_dicm_in_data")).statusCode()).isEqualTo(415);
            HttpResponse<String> instances = suite.get(options.ingestPort(), "/api/v1/instances");
            assertThat(JSON.readValue(instances.body(), List.class)).hasSize(12);
            assertThat(suite.alive()).allSatisfy((name, alive) -> assertThat(alive).as(name).isTrue());

            // Labels posted to ingest by original StudyInstanceUID reach the trainer under the study's pseudonym.
            HttpResponse<String> labels = suite.post(options.ingestPort(), "/api/v1/datasets/default/labels", "text/csv",
                    HttpRequest.BodyPublishers.ofString("StudyInstanceUID,label\n" + CT_STUDY + ",nodule\n1.2.3.4.5,normal\n"));
            assertThat(labels.statusCode()).as(labels.body()).isEqualTo(200);
            assertThat(JSON.readTree(labels.body()).path("assigned").asInt()).isEqualTo(1);
            assertThat(JSON.readTree(labels.body()).path("unknown").size()).isEqualTo(1);
            long labelDeadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            int labelled = 0;
            while (labelled == 0 && System.nanoTime() < labelDeadline) {
                HttpResponse<String> summary = suite.get(options.trainerPort(), "/api/v1/datasets/default");
                labelled = summary == null ? 0 : JSON.readTree(summary.body()).path("labelledStudies").asInt();
                Thread.sleep(300);
            }
            assertThat(labelled).as("labelled studies the trainer knows").isEqualTo(1);

            // With the model loaded, a newly ingested CT is routed to it and the result comes back to the
            // PACS as a DICOM SR in the original (re-identified) study.
            // (A resent identical instance is not announced again: the new CT is a copy with a new SOP Instance UID.)
            Path newCt = suite.newInstanceCopy(SAMPLES.resolve("CT-JPEGLosslessSV1.dcm"));
            Process uid = new ProcessBuilder("dcmdump", "-s", "+P", "0008,0018", newCt.toString()).redirectErrorStream(true).start();
            String newInstance = new String(uid.getInputStream().readAllBytes()).replaceAll("(?s).*\\[([0-9.]+)\\].*", "$1").trim();
            assertThat(newInstance).startsWith("1.2.276.0.7230010.3").isNotEqualTo(CT_INSTANCE);
            suite.storeWithStorescu(List.of(newCt));
            Path sr = suite.awaitReport(Duration.ofMinutes(2)).orElseThrow(() -> new AssertionError("no SR reached the PACS"));
            Process dump = new ProcessBuilder("dcmdump", "+P", "0020,000d", "+P", "0008,1155", "+P", "0040,a160", sr.toString())
                    .redirectErrorStream(true).start();
            String srDump = new String(dump.getInputStream().readAllBytes());
            assertThat(srDump).contains(newInstance).contains(CT_STUDY).contains(model.name());

            // No PHI left ingest: the events and logs of the other services never name a sample's patient.
            for (String service : List.of("pretext-service", "trainer-service", "inference-service")) {
                String log = Files.readString(data.resolve("logs").resolve(service + ".log"));
                assertThat(log).doesNotContain(CT_INSTANCE).doesNotContain(CT_STUDY);
            }
        }
    }
}
