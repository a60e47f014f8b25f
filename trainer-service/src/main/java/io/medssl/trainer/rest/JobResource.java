package io.medssl.trainer.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.medssl.contracts.Problem;
import io.medssl.trainer.jobs.JobEvent;
import io.medssl.trainer.jobs.JobRequest;
import io.medssl.trainer.jobs.JobService;
import io.medssl.trainer.jobs.JobView;
import io.medssl.trainer.jobs.TrainingJob;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** Training jobs: submit, watch (JSON or server-sent events), cancel. */
@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {
    private final JobService jobs;
    private final ObjectMapper json;

    public JobResource(JobService jobs, ObjectMapper json) {
        this.jobs = jobs;
        this.json = json;
    }

    /** Queues a pretrain or finetune job (201 with the job; 400 with a problem body if the request is invalid). */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response submit(JobRequest request) throws IOException {
        try {
            TrainingJob job = jobs.submit(request);
            return Response.created(URI.create("/api/v1/jobs/" + job.id)).entity(view(job)).build();
        } catch (IllegalArgumentException e) {
            return problem(400, "Invalid job request", e.getMessage());
        }
    }

    @GET
    public List<JobView> list(@QueryParam("dataset") String dataset) throws IOException {
        List<JobView> views = new java.util.ArrayList<>();
        for (TrainingJob job : jobs.list(dataset)) {
            views.add(view(job));
        }
        return views;
    }

    @GET
    @Path("/{id}")
    public Response get(@PathParam("id") String id) throws IOException {
        var job = jobs.find(id);
        return job.isPresent() ? Response.ok(view(job.get())).build() : notFound(id);
    }

    /** Cancels the job: a queued one at once, a running one at its next step. */
    @DELETE
    @Path("/{id}")
    public Response cancel(@PathParam("id") String id) throws IOException {
        var job = jobs.cancel(id);
        return job.isPresent() ? Response.accepted(view(job.get())).build() : notFound(id);
    }

    /** The job's state and progress as server-sent events, until it finishes. */
    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Blocking
    public Multi<JobEvent> events(@PathParam("id") String id) {
        if (jobs.find(id).isEmpty()) {
            throw new jakarta.ws.rs.NotFoundException("no job " + id);
        }
        return jobs.events(id);
    }

    private JobView view(TrainingJob j) throws IOException {
        return new JobView(j.id, j.type, j.dataset, j.state, j.step, j.steps, j.loss, j.imagesPerSecond, j.checkpointStep,
                j.modelName, j.modelVersion, json.readTree(j.request), j.metrics == null ? null : json.readTree(j.metrics),
                j.error, j.createdAt, j.updatedAt);
    }

    private static Response notFound(String id) {
        return problem(404, "No such job", "there is no job " + id);
    }

    private static Response problem(int status, String title, String detail) {
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(Problem.of(status, title, detail)).build();
    }
}
