package io.medssl.inference.health;

import io.medssl.inference.registry.ModelCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The service is ready to take requests even before the first model exists (it answers 503 for
 * predictions then); the check reports how many models are loaded.
 */
@Readiness
@ApplicationScoped
public class ModelsHealthCheck implements HealthCheck {
    private final ModelCatalog catalog;

    public ModelsHealthCheck(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("models").up().withData("loaded", catalog.all().size());
        catalog.newest().ifPresent(m -> builder.withData("newest", m.name() + " v" + m.version()));
        return builder.build();
    }
}
