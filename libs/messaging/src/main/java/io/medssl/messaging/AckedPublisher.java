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
        publishAsync(emitter, key, event).get(DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Publishes one keyed event; the future completes when the broker acknowledged it (or fails
     * with the broker's refusal). For callers whose event is already durable elsewhere (an
     * outbox) and who need not wait.
     */
    public static <T> CompletableFuture<Void> publishAsync(Emitter<T> emitter, String key, T event) {
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
        return acked;
    }
}
