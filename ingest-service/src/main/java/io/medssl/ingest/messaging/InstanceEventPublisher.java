package io.medssl.ingest.messaging;

import io.medssl.contracts.InstanceIngested;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Announces ingested instances on {@code medssl.instances}, keyed by instance pseudonym. */
@ApplicationScoped
public class InstanceEventPublisher {
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    @Channel("instances-out")
    Emitter<InstanceIngested> emitter;

    /** Returns once the broker acknowledged the event. */
    public void publish(InstanceIngested event) throws InterruptedException, ExecutionException, TimeoutException {
        var acked = new java.util.concurrent.CompletableFuture<Void>();
        Message<InstanceIngested> message = Message.of(event)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.instanceId()).build())
                .withAck(() -> {
                    acked.complete(null);
                    return java.util.concurrent.CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    acked.completeExceptionally(failure);
                    return java.util.concurrent.CompletableFuture.completedFuture(null);
                });
        emitter.send(message);
        acked.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
