package io.medssl.pretext.service;

import io.medssl.contracts.PatientSplit;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.medssl.contracts.InstanceIngested;
import io.medssl.contracts.PretextShardReady;
import io.medssl.contracts.PretextTask;
import io.medssl.imaging.GrayImage;
import io.medssl.imaging.ModelInput;
import io.medssl.imaging.PixelArray;
import io.medssl.pretext.config.PretextConfig;
import io.medssl.pretext.shards.ShardWriter;
import io.medssl.pretext.tasks.PretextTaskGenerator;
import io.medssl.pretext.tasks.TaskCatalog;
import io.medssl.pretext.tasks.TaskSample;
import io.medssl.storage.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Turns one ingested instance into one pretext shard holding every task configured for its
 * dataset. Each task draws from its own generator seeded by (instance, task, seed): any sample can
 * be reproduced, and adding a task does not change the samples of the others. The shard id
 * derives from (instance, seed), so a redelivered event rewrites the same shard.
 */
@ApplicationScoped
public class ShardService {
    private static final Logger LOG = Logger.getLogger(ShardService.class);

    private final BlobStore store;
    private final PretextConfig config;
    private final TaskCatalog catalog;
    private final ObjectMapper json;
    private final BacklogMonitor backlog;
    private final AtomicLong shards = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong firstShardNanos = new AtomicLong();

    public ShardService(BlobStore store, PretextConfig config, TaskCatalog catalog, ObjectMapper json, BacklogMonitor backlog) {
        this.backlog = backlog;
        this.store = store;
        this.config = config;
        this.catalog = catalog;
        this.json = json;
    }

    /** Empty when the instance has no decodable image (nothing to learn from). */
    public Optional<PretextShardReady> shardFor(InstanceIngested instance) throws IOException {
        if (!instance.decodable() || instance.pixelKey() == null) {
            LOG.debugf("skipping %s: not decodable", instance.instanceId());
            return Optional.empty();
        }
        PixelArray pixels;
        try (InputStream in = store.open(instance.pixelKey())) {
            pixels = PixelArray.readNpy(in);
        }
        int size = config.pretext().inputSize();
        List<GrayImage> frames = new ArrayList<>();
        for (int frame : frameIndices(pixels.frames(), config.pretext().maxFrames())) {
            frames.add(ModelInput.square(pixels.frame(frame), size));
        }
        long seed = config.pretext().seed();
        List<ShardWriter.TaskSamples> tasks = new ArrayList<>();
        int total = 0;
        for (PretextTaskGenerator task : catalog.forDataset(instance.dataset())) {
            List<TaskSample> taskSamples = task.generate(frames, new SplittableRandom(seedOf(instance.instanceId(), task.name(), seed)));
            if (!taskSamples.isEmpty()) {
                tasks.add(new ShardWriter.TaskSamples(task.descriptor(size, taskSamples.size()), taskSamples));
                total += taskSamples.size();
            }
        }
        if (tasks.isEmpty()) {
            return Optional.empty();
        }
        String shardId = "pretext-" + instance.instanceId() + "-s" + seed;
        String split = PatientSplit.of(instance.patientId(), config.pretext().validationPercent());
        String base = "shards/" + instance.dataset() + "/" + split + "/" + shardId;
        ShardWriter.write(store, base + ".npz", tasks);
        List<PretextTask> descriptors = tasks.stream().map(ShardWriter.TaskSamples::task).toList();
        PretextShardReady ready = new PretextShardReady(PretextShardReady.SCHEMA_VERSION, shardId, instance.dataset(), split,
                descriptors, List.of(1, size, size), total, base + ".npz", seed);
        // The event beside the shard, so a person or the preview can read a shard without Kafka.
        byte[] sidecar = json.writeValueAsBytes(ready);
        store.put(base + ".json", out -> out.write(sidecar));

        long shardCount = shards.incrementAndGet();
        long sampleCount = samples.addAndGet(total);
        long now = System.nanoTime();
        firstShardNanos.compareAndSet(0, now);
        double seconds = Math.max(1e-3, (now - firstShardNanos.get()) / 1e9);
        // Rates count the shards after the first, over the time since the first (idle start-up excluded).
        double instancesPerSecond = (shardCount - 1) / seconds;
        OptionalLong waiting = backlog.backlog();
        String eta = waiting.isEmpty() ? "backlog unknown"
                : instancesPerSecond <= 0 ? "backlog " + waiting.getAsLong() + " instances"
                : String.format("backlog %d instances, ETA %.0f s", waiting.getAsLong(), waiting.getAsLong() / instancesPerSecond);
        LOG.infof("shard %s: %d samples over %d tasks (%s); %d shards, %.1f instances/s, %.0f samples/s; %s",
                shardId, total, tasks.size(), split, shardCount, instancesPerSecond, (sampleCount - total) / seconds, eta);
        return Optional.of(ready);
    }

    /** The seed of one (instance, task) stream: the first 8 bytes of SHA-256 over the three. */
    static long seedOf(String instanceId, String task, long seed) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest((instanceId + "|" + task + "|" + seed).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Up to {@code max} frame indices spread evenly over the object (the middle one for max 1). */
    static int[] frameIndices(int frames, int max) {
        int n = Math.min(frames, Math.max(1, max));
        int[] indices = new int[n];
        for (int i = 0; i < n; i++) {
            indices[i] = (int) (((i + 0.5) * frames) / n);
        }
        return indices;
    }
}
