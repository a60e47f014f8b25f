package io.medssl.trainer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.medssl.contracts.EventJson;
import io.medssl.contracts.ModelPublished;
import io.medssl.contracts.PretextShardReady;
import io.medssl.contracts.PretextTask;
import io.medssl.contracts.Topics;
import io.medssl.imaging.GrayImage;
import io.medssl.imaging.Npz;
import io.medssl.imaging.Resampling;
import io.medssl.kafka.KafkaBrokerTestResource;
import io.medssl.models.ModelPackage;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Shards announced on a real broker are trained on with DJL/PyTorch, and a checksummed model
 * package is published that predicts rotations well above chance on held-out patients.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
class PretrainingPipelineTest {
    static final int S = 64;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "medssl.storage.root")
    Path storageRoot;

    /** An "anatomy" with an orientation: a bright band near the top, a blob on the left, noise. */
    private static GrayImage upright(Random r) {
        float[] p = new float[S * S];
        int band = 6 + r.nextInt(6);
        int cy = 24 + r.nextInt(20);
        int cx = 10 + r.nextInt(10);
        for (int y = 0; y < S; y++) {
            for (int x = 0; x < S; x++) {
                float v = 0.2f + 0.15f * r.nextFloat();
                if (y >= 4 && y < 4 + band) {
                    v += 0.5f;
                }
                if ((y - cy) * (y - cy) + (x - cx) * (x - cx) < 36) {
                    v += 0.3f;
                }
                p[y * S + x] = Math.min(1f, v);
            }
        }
        return new GrayImage(S, S, p);
    }

    private PretextShardReady writeShard(String id, String split, int images, long seed) throws Exception {
        Random r = new Random(seed);
        float[] x = new float[images * 4 * S * S];
        long[] y = new long[images * 4];
        for (int i = 0; i < images; i++) {
            GrayImage img = upright(r);
            for (int k = 0; k < 4; k++) {
                System.arraycopy(Resampling.rotate90(img, k).pixels(), 0, x, (i * 4 + k) * S * S, S * S);
                y[i * 4 + k] = k;
            }
        }
        String key = "shards/phantom/" + split + "/" + id + ".npz";
        Path file = storageRoot.resolve(key);
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file); Npz.Writer npz = new Npz.Writer(out)) {
            npz.putFloat32("rotation_x", x, images * 4, 1, S, S);
            npz.putInt64("rotation_y", y, images * 4);
        }
        return new PretextShardReady(1, id, "phantom", split, List.of(new PretextTask("rotation", PretextTask.CLASSIFICATION, 4,
                List.of(), List.of(1, S, S), images * 4, "rotation_x", "rotation_y")),
                List.of(1, S, S), images * 4, key, seed);
    }

    @Test
    void shardsBecomeAPublishedModelThatLearnedRotation() throws Exception {
        var train = writeShard("rotation-a", "train", 24, 1);
        var validation = writeShard("rotation-b", "validation", 8, 2);
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.PRETEXT_SHARDS, "garbage", "][")).get();
            producer.send(new ProducerRecord<>(Topics.PRETEXT_SHARDS, train.shardId(), EventJson.write(train))).get();
            producer.send(new ProducerRecord<>(Topics.PRETEXT_SHARDS, validation.shardId(), EventJson.write(validation))).get();
        }

        ModelPublished published = null;
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap,
                "group.id", "trainer-test", "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.MODELS));
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while (published == null && System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    published = EventJson.read(record.value(), ModelPublished.class);
                }
            }
        }
        assertThat(published).as("a ModelPublished event").isNotNull();
        assertThat(published.name()).isEqualTo("phantom-rotation");
        assertThat(published.labels()).containsExactly("rot0", "rot90", "rot180", "rot270");
        assertThat(published.lineage()).containsEntry("train_samples", "96").containsEntry("validation_samples", "32");
        assertThat(published.metrics().get("validation_accuracy"))
                .as("rotation accuracy on held-out images (chance is 0.25)").isGreaterThan(0.6);

        Path pkg = storageRoot.resolve(published.key());
        var manifest = ModelPackage.readManifest(pkg);
        assertThat(manifest.sha256()).isEqualTo(published.sha256())
                .isEqualTo(ModelPackage.sha256(pkg.resolve(manifest.parametersFile())));

        given().get("/api/v1/models").then().statusCode(200)
                .body("name", hasItem("phantom-rotation"));
        given().get("/api/v1/training").then().statusCode(200)
                .body("phantom.state", equalTo("published"));
        given().post("/api/v1/datasets/nothing-here/training").then().statusCode(404)
                .contentType("application/problem+json");
        given().get("/q/health/ready").then().statusCode(200);
    }
}
