package io.medssl.trainer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.medssl.contracts.EventJson;
import io.medssl.contracts.InstanceIngested;
import io.medssl.contracts.LabelAssigned;
import io.medssl.contracts.PretextShardReady;
import io.medssl.contracts.PretextTask;
import io.medssl.contracts.Topics;
import io.medssl.kafka.KafkaBrokerTestResource;
import io.medssl.imaging.GrayImage;
import io.medssl.imaging.Npz;
import io.medssl.imaging.PixelArray;
import io.medssl.imaging.Resampling;
import io.medssl.models.ModelPackage;
import io.medssl.trainer.jobs.JobService;
import io.medssl.trainer.jobs.JobState;
import io.medssl.trainer.jobs.TrainingJob;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The job API over a real broker and real DJL/PyTorch: synthetic studies (a bright disc = "finding")
 * arrive as events with pixel arrays, labels and pretext shards; a pretrain job and a fine-tune job
 * from its backbone produce model packages, the fine-tuned one well above chance on held-out
 * patients; progress streams as server-sent events; cancel and resume from a checkpoint work.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JobsTest {
    static final int S = 64;
    static final int STUDIES = 96;
    static final String DATASET = "synth";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "medssl.storage.root")
    Path storageRoot;

    @Inject
    JobService jobs;

    /** Anatomy-like background with an orientation; class 1 adds a faint disc somewhere. */
    static GrayImage image(Random r, boolean finding) {
        float[] p = new float[S * S];
        int band = 6 + r.nextInt(6);
        int cy = 20 + r.nextInt(28);
        int cx = 20 + r.nextInt(28);
        int radius = 5 + r.nextInt(4);
        for (int y = 0; y < S; y++) {
            for (int x = 0; x < S; x++) {
                float v = 0.25f + 0.2f * r.nextFloat();
                if (y >= 4 && y < 4 + band) {
                    v += 0.4f;
                }
                if (finding && (y - cy) * (y - cy) + (x - cx) * (x - cx) < radius * radius) {
                    v += 0.45f;
                }
                p[y * S + x] = Math.min(1f, v);
            }
        }
        return new GrayImage(S, S, p);
    }

    @BeforeAll
    void sendStudies() throws Exception {
        Random r = new Random(11);
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < STUDIES; i++) {
            String id = String.format("2.25.%d", 1000 + i);
            String patient = String.format("P-%06d", i);
            boolean finding = i % 2 == 1;
            GrayImage img = image(r, finding);
            String pixelKey = "pixels/" + id + ".npy";
            Path pixels = storageRoot.resolve(pixelKey);
            Files.createDirectories(pixels.getParent());
            try (OutputStream out = Files.newOutputStream(pixels)) {
                new PixelArray(1, S, S, img.pixels()).writeNpy(out);
            }
            String study = "2.25.9" + i;
            records.add(new ProducerRecord<>(Topics.INSTANCES, id, EventJson.write(new InstanceIngested(1, id, study, "2.25.8" + i,
                    patient, DATASET, "CT", "CHEST", "1.2.840.10008.5.1.4.1.1.2", S, S, 1, pixelKey, true, null, Instant.now(), null))));
            records.add(new ProducerRecord<>(Topics.LABELS, study, EventJson.write(new LabelAssigned(1, DATASET, study,
                    finding ? "finding" : "normal", "test"))));
            PretextShardReady shard = shard(id, patient, img, r);
            records.add(new ProducerRecord<>(Topics.PRETEXT_SHARDS, shard.shardId(), EventJson.write(shard)));
        }
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.INSTANCES, "garbage", "][")).get();
            for (var record : records) {
                producer.send(record);
            }
            producer.flush();
        }
        Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> count("trainer/instances/" + DATASET) == STUDIES
                && count("trainer/labels/" + DATASET) == STUDIES && count("trainer/shards/" + DATASET) == STUDIES);
    }

    private long count(String dir) throws Exception {
        Path p = storageRoot.resolve(dir);
        if (!Files.isDirectory(p)) {
            return 0;
        }
        try (var files = Files.list(p)) {
            return files.filter(f -> f.toString().endsWith(".json")).count();
        }
    }

    /** Rotation samples and two flipped/noisy views, as pretext-service would write them. */
    private PretextShardReady shard(String id, String patient, GrayImage img, Random r) throws Exception {
        float[] x = new float[4 * S * S];
        long[] y = new long[4];
        for (int k = 0; k < 4; k++) {
            System.arraycopy(Resampling.rotate90(img, k).pixels(), 0, x, k * S * S, S * S);
            y[k] = k;
        }
        float[] v1 = new float[S * S];
        float[] v2 = new float[S * S];
        for (int i = 0; i < S * S; i++) {
            int row = i / S;
            int col = i % S;
            v1[i] = img.pixels()[row * S + (S - 1 - col)] + 0.05f * (float) r.nextGaussian();
            v2[i] = img.pixels()[i] * 0.9f + 0.05f;
        }
        String split = io.medssl.contracts.PatientSplit.of(patient, 20);
        String key = "shards/" + DATASET + "/" + split + "/" + id + ".npz";
        Path file = storageRoot.resolve(key);
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file); Npz.Writer npz = new Npz.Writer(out)) {
            npz.putFloat32("rotation_x", x, 4, 1, S, S);
            npz.putInt64("rotation_y", y, 4);
            npz.putFloat32("views_a", v1, 1, 1, S, S);
            npz.putFloat32("views_b", v2, 1, 1, S, S);
        }
        return new PretextShardReady(1, "pretext-" + id, DATASET, split, List.of(
                new PretextTask("rotation", PretextTask.CLASSIFICATION, 4, List.of(), List.of(1, S, S), 4, "rotation_x", "rotation_y"),
                new PretextTask("consistency-views", PretextTask.VIEWS, 0, List.of(1, S, S), List.of(1, S, S), 1, "views_a", "views_b")),
                List.of(1, S, S), 5, key, 1);
    }

    private JsonPath awaitFinished(String id) {
        Awaitility.await().atMost(240, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(300))
                .until(() -> JobState.valueOf(given().get("/api/v1/jobs/" + id).then().extract().path("state")).finished());
        return given().get("/api/v1/jobs/" + id).then().statusCode(200).extract().jsonPath();
    }

    @Test
    @Order(1)
    void pretrainThenFineTuneBeatsChanceOnHeldOutPatients() throws Exception {
        String pretrain = given().contentType(ContentType.JSON)
                .body(Map.of("type", "pretrain", "dataset", DATASET, "steps", 40, "batchSize", 16,
                        "consistency", Map.of("kind", "both", "weight", 0.5, "temperature", 0.5)))
                .post("/api/v1/jobs").then().statusCode(201)
                .body("state", equalTo("QUEUED"))
                .body("request.consistency.kind", equalTo("both"))
                .extract().path("id");
        JsonPath done = awaitFinished(pretrain);
        assertThat(done.getString("state")).as(done.prettify()).isEqualTo("SUCCEEDED");
        assertThat(done.getString("modelName")).isEqualTo(DATASET + "-ssl");
        assertThat(done.getDouble("metrics.rotation_accuracy")).as("held-out rotation accuracy (chance 0.25)").isGreaterThan(0.5);
        assertThat(done.getMap("metrics")).containsKey("train_loss_consistency");
        Path ssl = storageRoot.resolve("models/" + DATASET + "-ssl/" + done.getInt("modelVersion"));
        assertThat(ssl.resolve("model-card.md")).exists();
        assertThat(ssl.resolve("training-curves.png")).exists();

        // Fine-tune from the pretrained backbone; watch it over server-sent events.
        String finetune = given().contentType(ContentType.JSON)
                .body(Map.of("type", "finetune", "dataset", DATASET, "steps", 100, "batchSize", 16,
                        "pretrained", DATASET + "-ssl", "labelFraction", 1.0))
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        List<String> events = sse("/api/v1/jobs/" + finetune + "/events");
        assertThat(events).anyMatch(e -> e.contains("\"type\":\"progress\"") && e.contains("\"classification\"")
                && e.contains("\"imagesPerSecond\"") && e.contains("\"etaSeconds\""));
        assertThat(events.get(events.size() - 1)).contains("\"state\":\"SUCCEEDED\"");
        JsonPath tuned = awaitFinished(finetune);
        assertThat(tuned.getString("state")).as(tuned.prettify()).isEqualTo("SUCCEEDED");
        assertThat(tuned.getDouble("metrics.macro_auc")).as("held-out macro AUC (chance 0.5)").isGreaterThan(0.8);
        Path classifier = storageRoot.resolve("models/" + DATASET + "-classifier/" + tuned.getInt("modelVersion"));
        assertThat(classifier.resolve("roc.png")).exists();
        var manifest = ModelPackage.readManifest(classifier);
        assertThat(manifest.labels()).containsExactly("finding", "normal");
        assertThat(manifest.lineage()).containsEntry("pretrained", DATASET + "-ssl");
        JsonPath card = JsonPath.from(Files.readString(classifier.resolve("model-card.json")));
        assertThat(card.getString("sha256")).isEqualTo(manifest.sha256());
        assertThat(card.getList("confusion")).hasSize(2);

        given().get("/api/v1/models").then().statusCode(200).body("name", hasItem(DATASET + "-classifier"));
        given().get("/api/v1/jobs?dataset=" + DATASET).then().statusCode(200).body("id", hasItem(finetune));
    }

    /** Reads a server-sent event stream to its end; returns the data lines. */
    private List<String> sse(String path) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + io.restassured.RestAssured.port + path))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(240)).build();
        HttpResponse<java.io.InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> data = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body()))) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.startsWith("data:")) {
                    data.add(line.substring(5).trim());
                }
            }
        }
        return data;
    }

    @Test
    @Order(2)
    void aCancelledJobStopsAndAnInterruptedOneResumesFromItsCheckpoint() {
        String id = given().contentType(ContentType.JSON)
                .body(Map.of("type", "pretrain", "dataset", DATASET, "steps", 60, "batchSize", 8, "tasks", List.of("rotation")))
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        Awaitility.await().atMost(120, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100))
                .until(() -> given().get("/api/v1/jobs/" + id).then().extract().<Integer>path("checkpointStep") >= 20);
        given().delete("/api/v1/jobs/" + id).then().statusCode(202);
        JsonPath cancelled = awaitFinished(id);
        assertThat(cancelled.getString("state")).isEqualTo("CANCELLED");
        int checkpoint = cancelled.getInt("checkpointStep");
        assertThat(checkpoint).isGreaterThanOrEqualTo(20).isLessThan(60);

        // As if the process had died mid-run: the database still says RUNNING; at start-up the job resumes.
        QuarkusTransaction.requiringNew().run(() -> {
            TrainingJob job = TrainingJob.findById(id);
            job.state = JobState.RUNNING;
            job.cancelRequested = false;
        });
        jobs.resumeUnfinished();
        JsonPath resumed = awaitFinished(id);
        assertThat(resumed.getString("state")).as(resumed.prettify()).isEqualTo("SUCCEEDED");
        assertThat(resumed.getDouble("metrics.resumed_from_step")).isEqualTo((double) checkpoint);
    }

    @Test
    @Order(3)
    void labelEfficiencyExperimentWritesTableAndPlot() {
        given().get("/api/v1/datasets/" + DATASET).then().statusCode(200)
                .body("shards", equalTo(STUDIES)).body("instances", equalTo(STUDIES)).body("labelledStudies", equalTo(STUDIES))
                .body("labels.finding", equalTo(STUDIES / 2));
        String id = given().contentType(ContentType.JSON)
                .body(Map.of("type", "experiment", "dataset", DATASET, "steps", 20, "finetuneSteps", 30, "batchSize", 16,
                        "labelFractions", List.of(0.1, 1.0)))
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        JsonPath done = awaitFinished(id);
        assertThat(done.getString("state")).as(done.prettify()).isEqualTo("SUCCEEDED");
        List<Map<String, Object>> runs = done.getList("metrics.runs");
        assertThat(runs).hasSize(6);
        assertThat(runs).extracting(r -> r.get("method")).containsOnly("scratch", "ssl-pretext", "ssl-consistency");
        // 10 % of the training patients, at least one per class, the same patients for every method
        assertThat(runs).filteredOn(r -> Math.abs(((Number) r.get("label_fraction")).doubleValue() - 0.1) < 1e-6)
                .extracting(r -> r.get("train_images")).containsOnly(runs.get(0).get("train_images"));
        assertThat(storageRoot.resolve("experiments/" + id + "/label-efficiency.png")).exists();
        assertThat(storageRoot.resolve("experiments/" + id + "/label-efficiency.md")).content()
                .contains("| scratch | none |").contains("ssl-consistency").contains("10 % labels");
    }

    @Test
    @Order(4)
    void badRequestsGetProblemBodies() {
        given().contentType(ContentType.JSON).body(Map.of("type", "bogus", "dataset", DATASET))
                .post("/api/v1/jobs").then().statusCode(400).contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("pretrain, finetune or experiment"));
        given().contentType(ContentType.JSON).body(Map.of("type", "finetune", "dataset", DATASET, "labelFraction", 2))
                .post("/api/v1/jobs").then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(Map.of("type", "pretrain", "dataset", "../etc"))
                .post("/api/v1/jobs").then().statusCode(400);
        given().get("/api/v1/jobs/no-such-job").then().statusCode(404).contentType("application/problem+json");
        given().delete("/api/v1/jobs/no-such-job").then().statusCode(404);
        // A job whose dataset has no data fails with a reason instead of hanging or crashing the worker.
        String id = given().contentType(ContentType.JSON).body(Map.of("type", "pretrain", "dataset", "empty"))
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        JsonPath failed = awaitFinished(id);
        assertThat(failed.getString("state")).isEqualTo("FAILED");
        assertThat(failed.getString("error")).contains("no pretext shards");
        given().get("/q/health/ready").then().statusCode(200);
    }
}
