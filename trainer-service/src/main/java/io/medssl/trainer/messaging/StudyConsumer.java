package io.medssl.trainer.messaging;

import io.medssl.contracts.InstanceIngested;
import io.medssl.contracts.LabelAssigned;
import io.medssl.trainer.registry.StudyCatalog;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** medssl.instances and medssl.labels → the study catalog that fine-tuning draws labelled images from. */
@ApplicationScoped
public class StudyConsumer {
    private static final Logger LOG = Logger.getLogger(StudyConsumer.class);
    private final StudyCatalog catalog;

    public StudyConsumer(StudyCatalog catalog) {
        this.catalog = catalog;
    }

    @Incoming("instances-in")
    @Blocking
    public void instance(InstanceIngested instance) throws Exception {
        if (instance == null) {
            LOG.warn("skipped a record on medssl.instances that is not a valid InstanceIngested event");
            return;
        }
        if (instance.decodable() && instance.pixelKey() != null) {
            catalog.add(instance);
        }
    }

    @Incoming("labels-in")
    @Blocking
    public void label(LabelAssigned label) throws Exception {
        if (label == null || label.label() == null || label.label().isBlank()) {
            LOG.warn("skipped a record on medssl.labels that is not a valid LabelAssigned event");
            return;
        }
        catalog.add(label);
    }
}
