package io.medssl.trainer.rest;

import io.medssl.models.ModelManifest;
import io.medssl.trainer.registry.ModelRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.List;

@Path("/api/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {
    private final ModelRegistry registry;

    public ModelResource(ModelRegistry registry) {
        this.registry = registry;
    }

    /** Every model package in the registry, oldest first. */
    @GET
    public List<ModelManifest> models() throws IOException {
        return registry.manifests();
    }
}
