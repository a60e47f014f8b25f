package io.medssl.trainer.messaging;

import io.medssl.contracts.ModelPublished;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Announces published models on {@code medssl.models}, keyed by model name. */
@ApplicationScoped
public class ModelEventPublisher {
    @Channel("models-out")
    Emitter<ModelPublished> emitter;

    /** Returns once the broker acknowledged the event. */
    public void publish(ModelPublished event) throws Exception {
        var acked = new CompletableFuture<Void>();
        emitter.send(Message.of(event)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.name()).build())
                .withAck(() -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(e -> {
                    acked.completeExceptionally(e);
                    return CompletableFuture.completedFuture(null);
                }));
        acked.get(30, TimeUnit.SECONDS);
    }
}
