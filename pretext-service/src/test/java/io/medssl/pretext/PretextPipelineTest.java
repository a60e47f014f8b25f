package io.medssl.pretext;

import static org.assertj.core.api.Assertions.assertThat;

import io.medssl.contracts.EventJson;
import io.medssl.contracts.InstanceIngested;
import io.medssl.contracts.PretextShardReady;
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
                96, 80, frames, pixelKey, decodable, decodable ? null : "JPEG-LS", Instant.now());
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
        assertThat(shard.samples()).isEqualTo(8); // 2 frames × 4 rotations
        assertThat(shard.inputShape()).containsExactly(1, 64, 64);
        assertThat(shard.tasks()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("rotation");
            assertThat(t.classes()).isEqualTo(4);
        });

        Map<String, Npy.Array> arrays;
        try (InputStream in = Files.newInputStream(storageRoot.resolve(shard.key()))) {
            arrays = Npz.read(in);
        }
        assertThat(arrays.get("x").shape()).containsExactly(8, 1, 64, 64);
        assertThat(arrays.get("y").asLongs()).containsExactly(0, 1, 2, 3, 0, 1, 2, 3);
        float[] x = arrays.get("x").asFloats();
        int n = 64 * 64;
        float[] upright = Arrays.copyOfRange(x, 0, n);
        for (int k = 1; k < 4; k++) {
            GrayImage rotated = new GrayImage(64, 64, Arrays.copyOfRange(x, k * n, (k + 1) * n));
            assertThat(Resampling.rotate90(rotated, -k).pixels()).containsExactly(upright);
        }
    }
}
