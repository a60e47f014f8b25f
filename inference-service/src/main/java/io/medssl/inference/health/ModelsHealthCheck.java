package io.medssl.inference.health;

import io.medssl.inference.registry.ModelCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The service is ready to take requests even before the first model exists (it answers 503 for
 * predictions then); the check reports how many model versions are loaded. Whether a model is
 * loaded is {@code GET /v2/health/ready} and {@code GET /v2/models/{name}/ready}.
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
        var builder = HealthCheckResponse.named("models").up().withData("loaded", catalog.loadedCount());
        catalog.newest().ifPresent(m -> builder.withData("newest", m.name() + " v" + m.version()));
        return builder.build();
    }
}
