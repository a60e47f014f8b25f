package io.medssl.ingest.rest;

import io.medssl.contracts.InstanceIngested;
import io.medssl.contracts.Problem;
import io.medssl.ingest.service.InstanceIndex;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.List;

/** The de-identified instance index, for people and tools (pseudonyms only). */
@Path("/api/v1/instances")
@Produces(MediaType.APPLICATION_JSON)
public class InstanceResource {
    private final InstanceIndex index;

    public InstanceResource(InstanceIndex index) {
        this.index = index;
    }

    @GET
    public List<InstanceIngested> list() throws IOException {
        return index.list();
    }

    @GET
    @Path("/{instanceId}")
    public Response get(@PathParam("instanceId") String instanceId) throws IOException {
        return index.find(instanceId)
                .map(i -> Response.ok(i).build())
                .orElseGet(() -> Response.status(404).type(Problem.MEDIA_TYPE)
                        .entity(Problem.of(404, "Instance not found", "no instance with pseudonym " + instanceId)).build());
    }
}
