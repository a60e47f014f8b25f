package io.medssl.trainer.rest;

import io.medssl.contracts.Problem;
import io.medssl.models.ModelManifest;
import io.medssl.trainer.jobs.TrainingRun;
import io.medssl.trainer.jobs.TrainingScheduler;
import io.medssl.trainer.registry.ModelRegistry;
import io.medssl.trainer.registry.ShardCatalog;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.List;
import java.util.Map;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class TrainingResource {
    private final ModelRegistry registry;
    private final TrainingScheduler scheduler;
    private final ShardCatalog catalog;

    public TrainingResource(ModelRegistry registry, TrainingScheduler scheduler, ShardCatalog catalog) {
        this.registry = registry;
        this.scheduler = scheduler;
        this.catalog = catalog;
    }

    /** Every model package in the registry, oldest first. */
    @GET
    @Path("/models")
    public List<ModelManifest> models() throws IOException {
        return registry.manifests();
    }

    /** The latest training run per dataset. */
    @GET
    @Path("/training")
    public Map<String, TrainingRun> runs() {
        return scheduler.runs();
    }

    /** Starts a training run of the dataset now (202), without waiting for new shards. */
    @POST
    @Path("/datasets/{dataset}/training")
    public Response train(@PathParam("dataset") String dataset) throws IOException {
        if (!dataset.matches("[A-Za-z0-9._-]+") || catalog.shards(dataset).isEmpty()) {
            return Response.status(404).type(Problem.MEDIA_TYPE)
                    .entity(Problem.of(404, "No shards for dataset", "dataset '" + dataset + "' has no pretext shards yet"))
                    .build();
        }
        scheduler.trainNow(dataset);
        return Response.accepted(TrainingRun.queued(dataset)).build();
    }
}
