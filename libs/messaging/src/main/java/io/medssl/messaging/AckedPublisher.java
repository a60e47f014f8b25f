package io.medssl.messaging;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes one keyed event and returns only once the broker acknowledged it. Every MedSSL
 * service announces work this way: what it announces is then on Kafka before it acknowledges
 * its own input (or answers its caller), so a crash in between redelivers instead of losing.
 */
public final class AckedPublisher {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private AckedPublisher() {
    }

    public static <T> void publish(Emitter<T> emitter, String key, T event)
            throws InterruptedException, ExecutionException, TimeoutException {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        emitter.send(Message.of(event)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build())
                .withAck(() -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    acked.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                }));
        acked.get(DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
