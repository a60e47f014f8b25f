package io.medssl.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.medssl.phantom.MedMnistExport;
import io.medssl.phantom.PhantomStudies;
import io.medssl.phantom.PhantomWriter;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ./medssl experiment [studies | file.npz]}: the label-efficiency experiment end to end on
 * one machine. Labelled studies (synthetic chest phantoms, or a MedMNIST file converted to DICOM)
 * go through the product like a hospital's would: storescu → ingest (de-identified, decoded) →
 * pretext shards; the labels CSV is posted to ingest by StudyInstanceUID; then trainer-service
 * runs its experiment job (SSL with and without consistency vs scratch, at 1/10/100 % labels) and
 * the table and plot land in {@code data/experiment/}.
 */
final class LabelEfficiencyRun {
    static final String DATASET = "phantom";
    private static final ObjectMapper JSON = new ObjectMapper();

    private LabelEfficiencyRun() {
    }

    static int run(Path repo, String source) throws Exception {
        Path data = repo.resolve("data/experiment");
        MedsslLauncher.deleteRecursively(data);
        Path dicom = data.resolve("dicom");
        List<Path> files;
        Path labels;
        long seed = Long.parseLong(SuiteOptions.setting("medssl.experiment.seed", "1"));
        if (source.endsWith(".npz")) {
            int limit = Integer.parseInt(SuiteOptions.setting("medssl.experiment.limit", "2000"));
            LocalSuite.say("converting %s (at most %d images) to DICOM in %s", source, limit, dicom);
            MedMnistExport.Export export = MedMnistExport.write(Path.of(source), dicom, limit, seed);
            files = export.files();
            labels = export.labelsCsv();
            LocalSuite.say("classes: %s", export.classCounts());
        } else {
            int count = Integer.parseInt(source);
            LocalSuite.say("generating %d synthetic chest phantom studies (normal / nodule / effusion) in %s", count, dicom);
            files = PhantomWriter.writeStudies(PhantomStudies.generate(count, seed), dicom);
            labels = dicom.resolve("labels.csv");
        }
        SuiteOptions options = SuiteOptions.fromEnvironment(repo, data);
        Map<String, List<String>> settings = Map.of(
                "ingest-service", List.of("-Dmedssl.dataset=" + DATASET),
                // The experiment pretrains itself; no automatic job in between.
                "trainer-service", List.of("-Dmedssl.trainer.auto-pretrain=false"));
        long started = System.nanoTime();
        try (LocalSuite suite = LocalSuite.start(options, settings)) {
            suite.awaitReady(Duration.ofMinutes(3));
            LocalSuite.say("sending %d studies with storescu to %s@127.0.0.1:%d", files.size(), options.aeTitle(), options.dicomPort());
            for (int i = 0; i < files.size(); i += 200) {
                String out = suite.storeWithStorescu(files.subList(i, Math.min(files.size(), i + 200)));
                out.lines().filter(l -> l.startsWith("E:")).limit(5).forEach(l -> LocalSuite.say("storescu: %s", l));
            }
            HttpResponse<String> assigned = suite.post(options.ingestPort(), "/api/v1/datasets/" + DATASET + "/labels", "text/csv",
                    HttpRequest.BodyPublishers.ofFile(labels));
            JsonNode answer = JSON.readTree(assigned.body());
            if (assigned.statusCode() != 200 || answer.path("assigned").asInt() == 0) {
                throw new IOException("ingest did not take the labels: " + assigned.statusCode() + " " + assigned.body());
            }
            LocalSuite.say("labels: %d studies labelled, %d unknown, %d invalid", answer.path("assigned").asInt(),
                    answer.path("unknown").size(), answer.path("invalid").size());
            awaitDataset(suite, files.size());
            Map<String, Object> request = Map.of("type", "experiment", "dataset", DATASET,
                    "steps", Integer.parseInt(SuiteOptions.setting("medssl.experiment.pretrain-steps", "400")),
                    "finetuneSteps", Integer.parseInt(SuiteOptions.setting("medssl.experiment.finetune-steps", "300")),
                    "batchSize", 32, "seed", seed);
            HttpResponse<String> submitted = suite.post(options.trainerPort(), "/api/v1/jobs", "application/json",
                    HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request)));
            if (submitted.statusCode() != 201) {
                throw new IOException("trainer refused the experiment: " + submitted.body());
            }
            String id = JSON.readTree(submitted.body()).path("id").asText();
            LocalSuite.say("experiment job %s: %s", id, request);
            JsonNode job = follow(suite, id);
            if (!"SUCCEEDED".equals(job.path("state").asText())) {
                throw new IOException("experiment job ended " + job.path("state").asText() + ": " + job.path("error").asText());
            }
            Path results = options.dataDir().resolve("storage/experiments").resolve(id);
            for (String name : List.of("label-efficiency.md", "label-efficiency.png", "label-efficiency.json")) {
                Files.copy(results.resolve(name), data.resolve(name));
            }
            System.out.println(Files.readString(data.resolve("label-efficiency.md")));
            LocalSuite.say("experiment finished in %.0f s: table %s, plot %s", (System.nanoTime() - started) / 1e9,
                    data.resolve("label-efficiency.md").toAbsolutePath(), data.resolve("label-efficiency.png").toAbsolutePath());
            return 0;
        } catch (IOException e) {
            System.err.println("[medssl] experiment failed: " + e.getMessage());
            return 1;
        }
    }

    /** Waits until the trainer has every decodable instance, its labels and its pretext shard. */
    private static void awaitDataset(LocalSuite suite, int expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        int lastShards = -1;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline) {
            suite.checkAlive();
            HttpResponse<String> r = suite.get(suite.options().trainerPort(), "/api/v1/datasets/" + DATASET);
            if (r != null && r.statusCode() == 200) {
                JsonNode d = JSON.readTree(r.body());
                int shards = d.path("shards").asInt();
                int instances = d.path("instances").asInt();
                int labelled = d.path("labelledStudies").asInt();
                if (shards != lastShards) {
                    LocalSuite.say("trainer has %d/%d pretext shards, %d instances, %d labelled studies %s", shards, expected,
                            instances, labelled, d.path("labels"));
                    lastShards = shards;
                    lastChange = System.nanoTime();
                }
                if (shards >= expected && instances >= expected && labelled >= expected) {
                    return;
                }
                // Some objects may be refused or undecodable: go on once nothing changed for a minute.
                if (shards > 0 && shards == instances && labelled >= instances
                        && System.nanoTime() - lastChange > Duration.ofMinutes(1).toNanos()) {
                    LocalSuite.say("going on with %d of %d studies", shards, expected);
                    return;
                }
            }
            Thread.sleep(2000);
        }
        throw new IOException("the dataset did not reach the trainer within 30 minutes");
    }

    /** Polls the job, printing its progress, until it finishes. */
    private static JsonNode follow(LocalSuite suite, String id) throws Exception {
        String last = "";
        while (true) {
            suite.checkAlive();
            HttpResponse<String> r = suite.get(suite.options().trainerPort(), "/api/v1/jobs/" + id);
            if (r != null && r.statusCode() == 200) {
                JsonNode job = JSON.readTree(r.body());
                String state = job.path("state").asText();
                String line = String.format("%s step %d/%d loss %.4f %.0f img/s", state, job.path("step").asInt(),
                        job.path("steps").asInt(), job.path("loss").asDouble(), job.path("imagesPerSecond").asDouble());
                if (!line.equals(last)) {
                    LocalSuite.say("experiment: %s", line);
                    last = line;
                }
                if (List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(state)) {
                    return job;
                }
            }
            Thread.sleep(5000);
        }
    }
}
