package io.medssl.trainer.messaging;

import io.medssl.contracts.ModelPublished;
import io.medssl.messaging.AckedPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** Announces published models on {@code medssl.models}, keyed by model name. */
@ApplicationScoped
public class ModelEventPublisher {
    @Channel("models-out")
    Emitter<ModelPublished> emitter;

    /** Returns once the broker acknowledged the event. */
    public void publish(ModelPublished event) throws Exception {
        AckedPublisher.publish(emitter, event.name(), event);
    }
}
