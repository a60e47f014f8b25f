package io.medssl.ingest.messaging;

import io.medssl.contracts.InstanceIngested;
import io.medssl.messaging.AckedPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** Announces ingested instances on {@code medssl.instances}, keyed by instance pseudonym. */
@ApplicationScoped
public class InstanceEventPublisher {

    @Channel("instances-out")
    Emitter<InstanceIngested> emitter;

    /** Returns once the broker acknowledged the event. */
    public void publish(InstanceIngested event) throws InterruptedException, ExecutionException, TimeoutException {
        AckedPublisher.publish(emitter, event.instanceId(), event);
    }

    /** Completes once the broker acknowledged the event. */
    public CompletableFuture<Void> publishAsync(InstanceIngested event) {
        return AckedPublisher.publishAsync(emitter, event.instanceId(), event);
    }
}
