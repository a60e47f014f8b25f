package io.medssl.inference;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.medssl.contracts.EventJson;
import io.medssl.contracts.ModelPublished;
import io.medssl.contracts.Topics;
import io.medssl.kafka.KafkaBrokerTestResource;
import io.medssl.models.ModelManifest;
import io.medssl.models.NetworkSpec;
import io.medssl.models.Networks;
import io.medssl.models.ModelPackage;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.not;

/** Models announced on a real broker are hot-loaded and answer DICOM predictions over HTTP. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PredictResourceTest {
    static final Path SAMPLES = Path.of(System.getProperty("test.samples.dir"));

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "medssl.storage.root")
    Path storageRoot;

    private void publishModel(int version) throws Exception {
        NetworkSpec spec = new NetworkSpec(32, 4, 4);
        String key = "models/test-rotation/" + version;
        ModelManifest written;
        try (Model model = Model.newInstance("test-rotation", Device.cpu())) {
            model.setBlock(Networks.classifier(spec));
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 32, 32));
            written = ModelPackage.write(model, new ModelManifest(ModelManifest.FORMAT_VERSION, "test-rotation", version,
                    "rotation", spec, List.of("rot0", "rot90", "rot180", "rot270"), null, null, Map.of(), Map.of(),
                    Map.of(), "2026-11-27T00:00:00Z"), storageRoot.resolve(key));
        }
        var event = new ModelPublished(1, "test-rotation", version, key, written.sha256(), written.labels(), Map.of(), Map.of());
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.MODELS, event.name(), EventJson.write(event))).get();
        }
    }

    @Test
    @Order(1)
    void beforeAnyModelPredictionsAreUnavailable() throws Exception {
        given().contentType("application/dicom").body(Files.readAllBytes(SAMPLES.resolve("CT-JPEGLosslessSV1.dcm")))
                .post("/api/v1/predict").then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", notNullValue());
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/v2/health/live").then().statusCode(200);
        given().get("/v2/health/ready").then().statusCode(503);
        given().get("/v2/models/test-rotation/ready").then().statusCode(404);
    }

    @Test
    @Order(2)
    void aPublishedModelAnswersAndANewerOneReplacesIt() throws Exception {
        publishModel(1);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                given().get("/api/v1/models").then().extract().path("find { it.name == 'test-rotation' }.version") != null);

        Response response = given().contentType("application/dicom")
                .body(Files.readAllBytes(SAMPLES.resolve("NM-MONO2-16-13x-heart")))
                .post("/api/v1/models/test-rotation/predict");
        response.then().statusCode(200)
                .body("model", equalTo("test-rotation"))
                .body("version", equalTo(1))
                .body("frames", equalTo(13))
                .body("frame", equalTo(6))
                .body("probabilities", hasKey("rot90"));
        Map<String, Float> p = response.jsonPath().getMap("probabilities", String.class, Float.class);
        assertThat(p.values().stream().mapToDouble(Float::doubleValue).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));

        publishModel(2);
        await().atMost(Duration.ofSeconds(60)).until(() -> Integer.valueOf(2).equals(
                given().get("/api/v1/models").then().extract().path("find { it.name == 'test-rotation' }.version")));
        given().contentType("application/dicom").body(Files.readAllBytes(SAMPLES.resolve("CT-JPEGLosslessSV1.dcm")))
                .post("/api/v1/predict").then().statusCode(200).body("version", equalTo(2));
    }

    private static Map<String, Object> tensorRequest(int n, int side, float value) {
        List<Float> data = new ArrayList<>();
        for (int i = 0; i < n * side * side; i++) {
            data.add(value + (i % side) / (float) side / 2);
        }
        return Map.of("id", "req-1", "inputs", List.of(Map.of("name", "input", "shape", List.of(n, 1, side, side),
                "datatype", "FP32", "data", data)));
    }

    @Test
    @Order(3)
    void openInferenceProtocolMetadataAndTensorInference() {
        given().get("/v2").then().statusCode(200).body("name", equalTo("medssl-inference"));
        given().get("/v2/health/ready").then().statusCode(200);
        given().get("/v2/models/test-rotation").then().statusCode(200)
                .body("name", equalTo("test-rotation"))
                .body("versions", contains("2"))
                .body("inputs[0].shape", contains(-1, 1, 32, 32))
                .body("outputs[0].shape", contains(-1, 4))
                .body("parameters.labels", contains("rot0", "rot90", "rot180", "rot270"));
        given().get("/v2/models/test-rotation/versions/1").then().statusCode(200).body("versions", contains("1"));
        given().get("/v2/models/test-rotation/versions/9/ready").then().statusCode(404);

        Response response = given().contentType("application/json").body(tensorRequest(3, 32, 0.2f))
                .post("/v2/models/test-rotation/infer");
        response.then().statusCode(200)
                .body("model_name", equalTo("test-rotation"))
                .body("model_version", equalTo("2"))
                .body("id", equalTo("req-1"))
                .body("outputs[0].name", equalTo("probabilities"))
                .body("outputs[0].shape", contains(3, 4))
                .body("outputs[0].datatype", equalTo("FP32"));
        List<Float> p = response.jsonPath().getList("outputs[0].data", Float.class);
        assertThat(p).hasSize(12);
        for (int i = 0; i < 3; i++) {
            assertThat(p.get(4 * i) + p.get(4 * i + 1) + p.get(4 * i + 2) + p.get(4 * i + 3))
                    .isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-4f));
        }
        given().contentType("application/json").body(tensorRequest(1, 32, 0.2f))
                .post("/v2/models/test-rotation/versions/1/infer").then().statusCode(200).body("model_version", equalTo("1"));

        var wrongType = Map.of("inputs", List.of(Map.of("name", "input", "shape", List.of(1, 1, 2, 2), "datatype", "INT8",
                "data", List.of(1, 2, 3, 4))));
        given().contentType("application/json").body(wrongType).post("/v2/models/test-rotation/infer")
                .then().statusCode(400).contentType("application/problem+json").body("error", containsString("FP32"));
        var wrongLength = Map.of("inputs", List.of(Map.of("name", "input", "shape", List.of(1, 1, 4, 4), "datatype", "FP32",
                "data", List.of(1, 2, 3))));
        given().contentType("application/json").body(wrongLength).post("/v2/models/test-rotation/infer")
                .then().statusCode(400).body("detail", containsString("needs 16"));
        given().contentType("application/json").body("{").post("/v2/models/test-rotation/infer").then().statusCode(400);
        given().contentType("application/json").body(tensorRequest(1, 32, 0.2f)).post("/v2/models/nope/infer")
                .then().statusCode(404).contentType("application/problem+json");
    }

    /** A request in the binary tensor data extension: the JSON part, then little-endian FP32 values. */
    private static byte[] binaryRequest(String json, float[] values) {
        byte[] header = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer body = java.nio.ByteBuffer.allocate(header.length + values.length * 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        body.put(header);
        body.asFloatBuffer().put(values);
        return body.array();
    }

    @Test
    @Order(3)
    void binaryTensorDataGivesTheSameProbabilitiesAsJson() {
        given().get("/v2").then().statusCode(200).body("extensions", contains("binary_tensor_data"));
        @SuppressWarnings("unchecked")
        List<Float> values = (List<Float>) ((List<Map<String, Object>>) tensorRequest(2, 32, 0.4f).get("inputs")).get(0).get("data");
        float[] pixels = new float[values.size()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = values.get(i);
        }
        List<Float> expected = given().contentType("application/json").body(tensorRequest(2, 32, 0.4f))
                .post("/v2/models/test-rotation/infer").then().statusCode(200)
                .extract().jsonPath().getList("outputs[0].data", Float.class);

        String header = "{\"id\":\"bin-1\",\"inputs\":[{\"name\":\"input\",\"shape\":[2,1,32,32],\"datatype\":\"FP32\","
                + "\"parameters\":{\"binary_data_size\":" + pixels.length * 4 + "}}]";
        // Binary in, JSON out (no output asked as binary).
        byte[] jsonOut = binaryRequest(header + "}", pixels);
        List<Float> fromBinary = given().contentType("application/octet-stream")
                .header("Inference-Header-Content-Length", header.length() + 1).body(jsonOut)
                .post("/v2/models/test-rotation/infer").then().statusCode(200).contentType("application/json")
                .body("id", equalTo("bin-1")).body("outputs[0].shape", contains(2, 4))
                .extract().jsonPath().getList("outputs[0].data", Float.class);
        assertThat(fromBinary).hasSize(8);
        for (int i = 0; i < 8; i++) {
            assertThat(fromBinary.get(i)).isCloseTo(expected.get(i), org.assertj.core.data.Offset.offset(1e-6f));
        }

        // Binary in, binary out: the JSON part announces the size, the probabilities follow it.
        String asksBinary = header + ",\"outputs\":[{\"name\":\"probabilities\",\"parameters\":{\"binary_data\":true}}]}";
        Response binary = given().contentType("application/octet-stream")
                .header("Inference-Header-Content-Length", asksBinary.length()).body(binaryRequest(asksBinary, pixels))
                .post("/v2/models/test-rotation/versions/2/infer");
        binary.then().statusCode(200).contentType("application/octet-stream");
        byte[] body = binary.asByteArray();
        int jsonLength = Integer.parseInt(binary.header("Inference-Header-Content-Length"));
        io.restassured.path.json.JsonPath json = new io.restassured.path.json.JsonPath(
                new String(body, 0, jsonLength, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(json.getInt("outputs[0].parameters.binary_data_size")).isEqualTo(8 * 4);
        assertThat(json.getString("outputs[0].data")).isNull();
        assertThat(body.length - jsonLength).isEqualTo(8 * 4);
        java.nio.FloatBuffer probabilities = java.nio.ByteBuffer.wrap(body, jsonLength, 8 * 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        for (int i = 0; i < 8; i++) {
            assertThat(probabilities.get(i)).isCloseTo(expected.get(i), org.assertj.core.data.Offset.offset(1e-6f));
        }

        // Broken framing: a clear 400 with a problem body, never a model call on garbage.
        given().contentType("application/octet-stream").header("Inference-Header-Content-Length", 1 << 20)
                .body(jsonOut).post("/v2/models/test-rotation/infer")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("body has"));
        given().contentType("application/octet-stream").header("Inference-Header-Content-Length", header.length() + 1)
                .body(java.util.Arrays.copyOf(jsonOut, jsonOut.length - 6)).post("/v2/models/test-rotation/infer")
                .then().statusCode(400).body("detail", containsString("only"));
        given().contentType("application/octet-stream").header("Inference-Header-Content-Length", header.length() + 1)
                .body(java.util.Arrays.copyOf(jsonOut, jsonOut.length + 4)).post("/v2/models/test-rotation/infer")
                .then().statusCode(400).body("detail", containsString("4 bytes after the last binary input"));
        given().contentType("application/octet-stream").header("Inference-Header-Content-Length", "many")
                .body(jsonOut).post("/v2/models/test-rotation/infer")
                .then().statusCode(400).body("detail", containsString("byte count"));
        given().contentType("application/octet-stream").header("Inference-Header-Content-Length", 5)
                .body(jsonOut).post("/v2/models/test-rotation/infer")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    @Order(4)
    void pinningRollsBackAndUnpinningReturnsToTheNewest() throws Exception {
        byte[] ct = Files.readAllBytes(SAMPLES.resolve("CT-JPEGLosslessSV1.dcm"));
        given().contentType("application/json").body(Map.of("version", 1)).put("/api/v1/models/test-rotation/pin")
                .then().statusCode(200).body("version", equalTo(1)).body("pinnedVersion", equalTo(1));
        given().contentType("application/dicom").body(ct).post("/api/v1/models/test-rotation/predict")
                .then().statusCode(200).body("version", equalTo(1));
        given().delete("/api/v1/models/test-rotation/pin").then().statusCode(200).body("version", equalTo(2));
        given().contentType("application/dicom").body(ct).post("/api/v1/models/test-rotation/predict")
                .then().statusCode(200).body("version", equalTo(2));
        given().contentType("application/json").body(Map.of("version", 42)).put("/api/v1/models/test-rotation/pin")
                .then().statusCode(404).contentType("application/problem+json");
        given().contentType("application/json").body(Map.of("v", 1)).put("/api/v1/models/test-rotation/pin")
                .then().statusCode(400);
    }

    @Test
    @Order(5)
    void aNewVersionSwapsInUnderLoadWithoutAFailedRequest() throws Exception {
        var request = tensorRequest(1, 32, 0.3f);
        AtomicBoolean stop = new AtomicBoolean();
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        Set<String> versions = ConcurrentHashMap.newKeySet();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            clients.submit(() -> {
                while (!stop.get()) {
                    Response r = given().contentType("application/json").body(request).post("/v2/models/test-rotation/infer");
                    statuses.add(r.statusCode());
                    if (r.statusCode() == 200) {
                        versions.add(r.jsonPath().getString("model_version"));
                    }
                }
            });
        }
        Thread.sleep(1000);
        publishModel(3);
        await().atMost(Duration.ofSeconds(60)).until(() -> versions.contains("3"));
        Thread.sleep(1000);
        stop.set(true);
        clients.shutdown();
        assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(statuses).hasSizeGreaterThan(20);
        assertThat(statuses).as("no request failed during the swap").containsOnly(200);
        assertThat(versions).contains("2", "3");
        // keep-versions=2 in tests: v1 was retired when v3 arrived.
        given().get("/api/v1/models/test-rotation").then().statusCode(200)
                .body("version", equalTo(3)).body("loadedVersions", contains(2, 3));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("medssl_inference_requests_seconds_count{endpoint=\"v2-infer\",model=\"test-rotation\",outcome=\"ok\",version=\"3\"}");
        assertThat(metrics).contains("medssl_inference_requests_seconds_bucket");
    }

    @Test
    @Order(6)
    void routedInstancesAreInferredAndTheResultAnnounced() throws Exception {
        float[] pixels = new float[2 * 40 * 40];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (i % 40) / 40f;
        }
        Path npy = storageRoot.resolve("pixels/2.25.500.npy");
        Files.createDirectories(npy.getParent());
        try (var out = Files.newOutputStream(npy)) {
            new io.medssl.imaging.PixelArray(2, 40, 40, pixels).writeNpy(out);
        }
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap),
                new StringSerializer(), new StringSerializer())) {
            for (var event : List.of(
                    instance("2.25.501", "other", "CT", "pixels/2.25.500.npy", true),   // no route for this dataset
                    instance("2.25.502", "routed", "MR", "pixels/2.25.500.npy", true),  // no route for MR
                    instance("2.25.503", "routed", "CT", null, false),                   // nothing to infer on
                    instance("2.25.500", "routed", "CT", "pixels/2.25.500.npy", true))) {
                producer.send(new ProducerRecord<>(Topics.INSTANCES, event.instanceId(), EventJson.write(event))).get();
            }
        }
        List<io.medssl.contracts.InferenceResult> results = new CopyOnWriteArrayList<>();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(Map.<String, Object>of(
                "bootstrap.servers", bootstrap, "group.id", "routing-test", "auto.offset.reset", "earliest"),
                new org.apache.kafka.common.serialization.StringDeserializer(), new org.apache.kafka.common.serialization.StringDeserializer())) {
            consumer.subscribe(List.of(Topics.INFERENCE_RESULTS));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (results.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(300)).forEach(r -> results.add(EventJson.read(r.value(), io.medssl.contracts.InferenceResult.class)));
            }
            consumer.poll(Duration.ofSeconds(2)).forEach(r -> results.add(EventJson.read(r.value(), io.medssl.contracts.InferenceResult.class)));
        }
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.instanceId()).isEqualTo("2.25.500");
            assertThat(r.studyId()).isEqualTo("2.25.600");
            assertThat(r.model()).isEqualTo("test-rotation");
            assertThat(r.version()).isEqualTo(3);
            assertThat(r.probabilities()).containsOnlyKeys("rot0", "rot90", "rot180", "rot270");
            assertThat(r.probabilities().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
            assertThat(r.probabilities().get(r.finding())).isEqualTo(r.probabilities().values().stream().mapToDouble(Double::doubleValue).max().orElseThrow());
        });
    }

    private static io.medssl.contracts.InstanceIngested instance(String id, String dataset, String modality, String pixelKey, boolean decodable) {
        return new io.medssl.contracts.InstanceIngested(1, id, "2.25.600", "2.25.601", "P-x", dataset, modality, "", "1.2.3",
                40, 40, 2, pixelKey, decodable, decodable ? null : "no pixels", java.time.Instant.now(), null);
    }

    @Test
    @Order(7)
    void severalInstancesInOneMultipartRequestAndASaliencyMap() throws Exception {
        jakarta.mail.internet.MimeMultipart related = new jakarta.mail.internet.MimeMultipart("related");
        for (var part : List.of(
                Map.entry("application/dicom", Files.readAllBytes(SAMPLES.resolve("CT-JPEGLosslessSV1.dcm"))),
                Map.entry("application/dicom", Files.readAllBytes(SAMPLES.resolve("report_dfl"))),
                Map.entry("text/plain", "hello".getBytes()),
                Map.entry("application/dicom", Files.readAllBytes(SAMPLES.resolve("MR-JPEGLosslessSV1.dcm"))))) {
            var body = new jakarta.mail.internet.MimeBodyPart();
            body.setDataHandler(new jakarta.activation.DataHandler(
                    new jakarta.mail.util.ByteArrayDataSource(part.getValue(), part.getKey())));
            body.setHeader("Content-Type", part.getKey());
            related.addBodyPart(body);
        }
        var out = new java.io.ByteArrayOutputStream();
        related.writeTo(out);
        String contentType = related.getContentType().replace("\r\n", "").replace("\t", " ") + "; type=\"application/dicom\"";
        given().contentType(contentType).body(out.toByteArray())
                .post("/api/v1/models/test-rotation/predict").then().statusCode(200)
                .body("size()", equalTo(4))
                .body("[0].model", equalTo("test-rotation"))
                .body("[0].rows", equalTo(512))
                .body("[1].status", equalTo(422))
                .body("[2].status", equalTo(415))
                .body("[3].rows", equalTo(256));

        String png = given().contentType("application/dicom").body(Files.readAllBytes(SAMPLES.resolve("CT-JPEGLosslessSV1.dcm")))
                .queryParam("saliency", true).post("/api/v1/models/test-rotation/predict")
                .then().statusCode(200).extract().path("saliencyPng");
        byte[] bytes = java.util.Base64.getDecoder().decode(png);
        var image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(bytes));
        assertThat(image.getWidth()).isEqualTo(128);
        assertThat(image.getHeight()).isEqualTo(128);
        Files.write(Path.of("target/saliency.png"), bytes);
        given().contentType("application/dicom").body(Files.readAllBytes(SAMPLES.resolve("CT-JPEGLosslessSV1.dcm")))
                .post("/api/v1/models/test-rotation/predict").then().statusCode(200).body("$", not(hasKey("saliencyPng")));
    }

    @Test
    @Order(8)
    void badInputGetsAProblemNotACrash() throws Exception {
        given().contentType("application/dicom").body("definitely not DICOM".getBytes())
                .post("/api/v1/predict").then().statusCode(415).contentType("application/problem+json")
                .body("status", equalTo(415));
        given().contentType("application/dicom").body(Files.readAllBytes(SAMPLES.resolve("report_dfl")))
                .post("/api/v1/predict").then().statusCode(422).contentType("application/problem+json");
        given().contentType("application/dicom").body(Files.readAllBytes(SAMPLES.resolve("jpeg-ls-Palette.dcm")))
                .post("/api/v1/predict").then().statusCode(422);
        given().contentType("application/dicom").body(new byte[] {1})
                .post("/api/v1/models/no-such-model/predict").then().statusCode(404).contentType("application/problem+json");
        given().contentType("application/json").body("{}")
                .post("/api/v1/predict").then().statusCode(415);
    }
}
