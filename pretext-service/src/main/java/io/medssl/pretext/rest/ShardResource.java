package io.medssl.pretext.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.medssl.contracts.PretextShardReady;
import io.medssl.contracts.Problem;
import io.medssl.imaging.Npy;
import io.medssl.imaging.Npz;
import io.medssl.pretext.preview.ShardPreview;
import io.medssl.pretext.tasks.Corruption;
import io.medssl.pretext.tasks.CorruptionDetectionTask;
import io.medssl.pretext.tasks.FrameOrderTask;
import io.medssl.pretext.tasks.RotationTask;
import io.medssl.storage.BlobStore;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;

/** The shards of a dataset, and a picture of any of them. */
@Path("/api/v1/datasets/{dataset}/shards")
public class ShardResource {
    private static final Map<String, List<String>> LABELS = Map.of(
            RotationTask.NAME, RotationTask.labels(),
            CorruptionDetectionTask.NAME, Corruption.labels(),
            FrameOrderTask.NAME, List.of("shuffled", "ordered"));

    private final BlobStore store;
    private final ObjectMapper json;

    public ShardResource(BlobStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@PathParam("dataset") String dataset) throws IOException {
        if (!safe(dataset)) {
            return notFound("no dataset '" + dataset + "'");
        }
        List<PretextShardReady> shards = new ArrayList<>();
        for (String key : store.list("shards/" + dataset)) {
            if (key.endsWith(".json")) {
                try (InputStream in = store.open(key)) {
                    shards.add(json.readValue(in, PretextShardReady.class));
                }
            }
        }
        return Response.ok(shards).build();
    }

    /** A PNG grid: per task, the first {@code samples} samples with their targets. */
    @GET
    @Path("/{shardId}/preview.png")
    @Produces({"image/png", Problem.MEDIA_TYPE})
    public Response preview(@PathParam("dataset") String dataset, @PathParam("shardId") String shardId,
                            @QueryParam("samples") @DefaultValue("4") int samples) throws IOException {
        Optional<PretextShardReady> shard = find(dataset, shardId);
        if (shard.isEmpty()) {
            return notFound("no shard '" + shardId + "' in dataset '" + dataset + "'");
        }
        Map<String, Npy.Array> arrays;
        try (InputStream in = store.open(shard.get().key())) {
            arrays = Npz.read(in);
        }
        var image = ShardPreview.render(shard.get(), arrays, Math.max(1, Math.min(samples, 16)), LABELS);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        return Response.ok(png.toByteArray(), "image/png").build();
    }

    private Optional<PretextShardReady> find(String dataset, String shardId) throws IOException {
        if (!safe(dataset) || !safe(shardId)) {
            return Optional.empty();
        }
        for (String split : List.of("train", "validation")) {
            String key = "shards/" + dataset + "/" + split + "/" + shardId + ".json";
            if (store.exists(key)) {
                try (InputStream in = store.open(key)) {
                    return Optional.of(json.readValue(in, PretextShardReady.class));
                }
            }
        }
        return Optional.empty();
    }

    private static boolean safe(String name) {
        return name.matches("[A-Za-z0-9._-]+") && !name.startsWith(".");
    }

    private static Response notFound(String detail) {
        return Response.status(404).type(Problem.MEDIA_TYPE).entity(Problem.of(404, "Not found", detail)).build();
    }
}
