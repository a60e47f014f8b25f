package io.medssl.ingest.rest;

import io.medssl.contracts.Problem;
import io.medssl.ingest.config.IngestConfig;
import io.medssl.ingest.service.InstanceIndex;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** The de-identified instance index, for people and tools (pseudonyms only). */
@Path("/api/v1/instances")
@Produces(MediaType.APPLICATION_JSON)
public class InstanceResource {
    private final InstanceIndex index;
    private final IngestConfig config;

    public InstanceResource(InstanceIndex index, IngestConfig config) {
        this.index = index;
        this.config = config;
    }

    /**
     * The index in pages ({@code limit}, {@code offset}; at most {@code medssl.query.max-results}
     * per request, then a Warning header says more can be asked for), by study, series and
     * instance pseudonym.
     */
    @GET
    public Response list(@QueryParam("limit") String limit, @QueryParam("offset") String offset) {
        Paging paging = Paging.of(limit, offset, config.query().maxResults());
        List<InstanceIndex.Entry> fetched = index.findInstances(List.of(), true, paging.offset(), paging.fetch());
        Response.ResponseBuilder response = Response.ok(paging.page(fetched).stream().map(InstanceIndex.Entry::instance).toList());
        if (paging.more(fetched)) {
            response.header("Warning", Paging.MORE_RESULTS_WARNING);
        }
        return response.build();
    }

    @GET
    @Path("/{instanceId}")
    public Response get(@PathParam("instanceId") String instanceId) {
        return index.find(instanceId)
                .map(i -> Response.ok(i).build())
                .orElseGet(() -> Response.status(404).type(Problem.MEDIA_TYPE)
                        .entity(Problem.of(404, "Instance not found", "no instance with pseudonym " + instanceId)).build());
    }
}
