package io.medssl.pretext;

import static org.assertj.core.api.Assertions.assertThat;

import io.medssl.contracts.EventJson;
import io.medssl.contracts.InstanceIngested;
import io.medssl.contracts.PretextShardReady;
import io.medssl.contracts.PretextTask;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import io.medssl.contracts.Topics;
import io.medssl.imaging.GrayImage;
import io.medssl.imaging.Npy;
import io.medssl.imaging.Npz;
import io.medssl.imaging.PixelArray;
import io.medssl.imaging.Resampling;
import io.medssl.kafka.KafkaBrokerTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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

/** A real InstanceIngested on a real broker becomes a rotation shard that reads back exactly. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
class PretextPipelineTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "medssl.storage.root")
    Path storageRoot;

    private static InstanceIngested instance(String id, String pixelKey, boolean decodable, int frames) {
        return new InstanceIngested(1, id, "2.25.10", "2.25.11", "P-test", "unit", "CT", "", "1.2.840.10008.5.1.4.1.1.2",
                96, 80, frames, pixelKey, decodable, decodable ? null : "JPEG-LS", Instant.now(), null);
    }

    @Test
    void decodableInstancesBecomeShardsGarbageAndUndecodableAreSkipped() throws Exception {
        Random random = new Random(3);
        float[] data = new float[2 * 96 * 80];
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextFloat();
        }
        Path pixels = storageRoot.resolve("pixels/2.25.99.npy");
        Files.createDirectories(pixels.getParent());
        try (OutputStream out = Files.newOutputStream(pixels)) {
            new PixelArray(2, 96, 80, data).writeNpy(out);
        }
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.INSTANCES, "junk", "{this is not an event")).get();
            producer.send(new ProducerRecord<>(Topics.INSTANCES, "2.25.98",
                    EventJson.write(instance("2.25.98", null, false, 1)))).get();
            producer.send(new ProducerRecord<>(Topics.INSTANCES, "2.25.99",
                    EventJson.write(instance("2.25.99", "pixels/2.25.99.npy", true, 2)))).get();
        }

        List<PretextShardReady> shards = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap,
                "group.id", "pretext-test", "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.PRETEXT_SHARDS));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (shards.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(300)).forEach(r -> shards.add(EventJson.read(r.value(), PretextShardReady.class)));
            }
            // Give a wrongly produced second shard (from the undecodable instance) the chance to show up.
            consumer.poll(Duration.ofSeconds(2)).forEach(r -> shards.add(EventJson.read(r.value(), PretextShardReady.class)));
        }
        assertThat(shards).hasSize(1);
        PretextShardReady shard = shards.get(0);
        assertThat(shard.dataset()).isEqualTo("unit");
        assertThat(shard.tasks()).extracting(PretextTask::name).containsExactly("rotation", "jigsaw", "relative-position",
                "intensity-restoration", "inpainting", "corruption", "consistency-views"); // 2 frames: no frame-order
        PretextTask rotation = shard.tasks().get(0);
        assertThat(rotation.samples()).isEqualTo(8); // 2 frames × 4 rotations
        assertThat(rotation.inputShape()).containsExactly(1, 64, 64);
        assertThat(rotation.classes()).isEqualTo(4);
        assertThat(shard.tasks().get(1).classes()).isEqualTo(100);
        assertThat(shard.tasks().get(3).shape()).containsExactly(1, 64, 64);
        assertThat(shard.samples()).isEqualTo(shard.tasks().stream().mapToInt(PretextTask::samples).sum());

        Map<String, Npy.Array> arrays;
        try (InputStream in = Files.newInputStream(storageRoot.resolve(shard.key()))) {
            arrays = Npz.read(in);
        }
        assertThat(arrays.get("rotation_x").shape()).containsExactly(8, 1, 64, 64);
        assertThat(arrays.get("rotation_y").asLongs()).containsExactly(0, 1, 2, 3, 0, 1, 2, 3);
        float[] x = arrays.get("rotation_x").asFloats();
        int n = 64 * 64;
        float[] upright = Arrays.copyOfRange(x, 0, n);
        for (int k = 1; k < 4; k++) {
            GrayImage rotated = new GrayImage(64, 64, Arrays.copyOfRange(x, k * n, (k + 1) * n));
            assertThat(Resampling.rotate90(rotated, -k).pixels()).containsExactly(upright);
        }

        // DJL reads the shard as it is, with every array under the name the descriptor gives.
        try (NDManager manager = NDManager.newBaseManager(); InputStream in = Files.newInputStream(storageRoot.resolve(shard.key()))) {
            NDList list = NDList.decode(manager, in);
            for (PretextTask task : shard.tasks()) {
                NDArray inputs = list.get(task.inputArray());
                NDArray targets = list.get(task.targetArray());
                assertThat(inputs).as(task.inputArray()).isNotNull();
                assertThat(targets).as(task.targetArray()).isNotNull();
                assertThat(inputs.getShape().get(0)).isEqualTo(task.samples());
                assertThat(targets.getShape().get(0)).isEqualTo(task.samples());
            }
            assertThat(list.get("jigsaw_x").getShape().getShape()).containsExactly(4, 9, 16, 16);
            assertThat(list.get("jigsaw_y").getDataType()).isEqualTo(DataType.INT64);
        }

        byte[] png = given().get("/api/v1/datasets/unit/shards/" + shard.shardId() + "/preview.png")
                .then().statusCode(200).contentType("image/png").extract().asByteArray();
        BufferedImage picture = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(picture.getWidth()).isGreaterThan(300);
        assertThat(picture.getHeight()).isGreaterThan(7 * 32);
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target/pretext-preview.png"), png);
        given().get("/api/v1/datasets/unit/shards").then().statusCode(200).body("size()", equalTo(1));
        given().get("/api/v1/datasets/unit/shards/nope/preview.png").then().statusCode(404)
                .contentType("application/problem+json");
    }
}
