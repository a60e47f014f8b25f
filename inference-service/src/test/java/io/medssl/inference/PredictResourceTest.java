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
                .post("/api/v1/predict").then().statusCode(503).contentType("application/problem+json");
        given().get("/q/health/ready").then().statusCode(200);
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

    @Test
    @Order(3)
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
