package io.medssl.trainer.rest;

import io.medssl.contracts.LabelAssigned;
import io.medssl.contracts.Problem;
import io.medssl.trainer.registry.ShardCatalog;
import io.medssl.trainer.registry.StudyCatalog;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** What the trainer has of a dataset: is it ready to pretrain (shards) and to fine-tune (labelled instances)? */
@Path("/api/v1/datasets")
@Produces(MediaType.APPLICATION_JSON)
public class DatasetResource {
    private final ShardCatalog shards;
    private final StudyCatalog studies;

    public DatasetResource(ShardCatalog shards, StudyCatalog studies) {
        this.shards = shards;
        this.studies = studies;
    }

    public record DatasetSummary(String dataset, int shards, int instances, int labelledStudies, Map<String, Long> labels) {
    }

    @GET
    @Path("/{dataset}")
    public Response summary(@PathParam("dataset") String dataset) throws IOException {
        if (!dataset.matches("[A-Za-z0-9._-]+")) {
            return Response.status(400).type(Problem.MEDIA_TYPE)
                    .entity(Problem.of(400, "Invalid dataset name", "dataset names are letters, digits, '.', '_' or '-'")).build();
        }
        var labels = studies.labels(dataset);
        Map<String, Long> counts = new TreeMap<>(labels.stream().collect(Collectors.groupingBy(LabelAssigned::label, Collectors.counting())));
        return Response.ok(new DatasetSummary(dataset, shards.shards(dataset).size(), studies.instances(dataset).size(), labels.size(),
                counts)).build();
    }
}
