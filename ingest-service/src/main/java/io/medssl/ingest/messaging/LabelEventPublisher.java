package io.medssl.ingest.messaging;

import io.medssl.contracts.LabelAssigned;
import io.medssl.messaging.AckedPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * Announces study labels on {@code medssl.labels}, keyed by study pseudonym: the labels of one
 * study stay in order on one partition, so the latest one is the study's label.
 */
@ApplicationScoped
public class LabelEventPublisher {

    @Channel("labels-out")
    Emitter<LabelAssigned> emitter;

    /** Returns once the broker acknowledged the event. */
    public void publish(LabelAssigned event) throws InterruptedException, ExecutionException, TimeoutException {
        AckedPublisher.publish(emitter, event.studyId(), event);
    }
}
