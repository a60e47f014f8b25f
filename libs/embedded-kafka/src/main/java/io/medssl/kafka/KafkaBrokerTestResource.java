package io.medssl.kafka;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts a real {@link EmbeddedKafkaBroker} for a {@code @QuarkusTest} and points the Kafka
 * connector at it. Use with {@code @QuarkusTestResource(KafkaBrokerTestResource.class)}.
 */
public final class KafkaBrokerTestResource implements QuarkusTestResourceLifecycleManager {
    private EmbeddedKafkaBroker broker;

    @Override
    public Map<String, String> start() {
        broker = EmbeddedKafkaBroker.start();
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
