package io.medssl.inference.messaging;

import io.medssl.contracts.ModelPublished;
import io.medssl.inference.config.InferenceConfig;
import io.medssl.inference.registry.ModelCatalog;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** medssl.models → hot reload: a newer version replaces the served one. */
@ApplicationScoped
public class ModelConsumer {
    private static final Logger LOG = Logger.getLogger(ModelConsumer.class);
    private final ModelCatalog catalog;
    private final InferenceConfig config;

    public ModelConsumer(ModelCatalog catalog, InferenceConfig config) {
        this.catalog = catalog;
        this.config = config;
    }

    @Incoming("models-in")
    @Blocking
    public void consume(ModelPublished published) {
        if (published == null) {
            LOG.warn("skipped a record on medssl.models that is not a valid ModelPublished event");
            return;
        }
        try {
            catalog.loadPublished(config.storage().root().resolve(published.key())).ifPresent(loaded -> {
                if (!loaded.manifest().sha256().equals(published.sha256())) {
                    LOG.warnf("%s v%d: event checksum differs from the package's", published.name(), published.version());
                }
            });
        } catch (Exception e) {
            // A broken package must not stop the stream: keep serving the current version.
            LOG.errorf("could not load %s v%d from %s: %s", published.name(), published.version(), published.key(), e.getMessage());
        }
    }
}
