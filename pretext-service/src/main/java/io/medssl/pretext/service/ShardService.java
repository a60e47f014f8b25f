package io.medssl.pretext.service;

import io.medssl.contracts.InstanceIngested;
import io.medssl.contracts.PretextShardReady;
import io.medssl.imaging.GrayImage;
import io.medssl.imaging.ModelInput;
import io.medssl.imaging.PixelArray;
import io.medssl.pretext.config.PretextConfig;
import io.medssl.pretext.shards.PatientSplit;
import io.medssl.pretext.shards.ShardWriter;
import io.medssl.pretext.tasks.PretextSample;
import io.medssl.pretext.tasks.RotationTask;
import io.medssl.storage.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Turns one ingested instance into one pretext shard. The shard id derives from (instance, task,
 * seed), so a redelivered event rewrites the same shard instead of adding a duplicate.
 */
@ApplicationScoped
public class ShardService {
    private static final Logger LOG = Logger.getLogger(ShardService.class);

    private final BlobStore store;
    private final PretextConfig config;
    private final RotationTask rotation = new RotationTask();
    private final AtomicLong shards = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private final long startedNanos = System.nanoTime();

    public ShardService(BlobStore store, PretextConfig config) {
        this.store = store;
        this.config = config;
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
        List<PretextSample> out = new ArrayList<>();
        for (int frame : frameIndices(pixels.frames(), config.pretext().maxFrames())) {
            GrayImage square = ModelInput.square(pixels.frame(frame), size);
            out.addAll(rotation.samples(square));
        }
        long seed = config.pretext().seed();
        String shardId = RotationTask.NAME + "-" + instance.instanceId() + "-s" + seed;
        String split = PatientSplit.of(instance.patientId(), config.pretext().validationPercent());
        String key = "shards/" + instance.dataset() + "/" + split + "/" + shardId + ".npz";
        ShardWriter.write(store, key, out, size);

        long total = shards.incrementAndGet();
        long totalSamples = samples.addAndGet(out.size());
        double seconds = Math.max(1e-3, (System.nanoTime() - startedNanos) / 1e9);
        LOG.infof("shard %s: %d samples (%s); %d shards, %d samples so far, %.1f samples/s",
                shardId, out.size(), split, total, totalSamples, totalSamples / seconds);
        return Optional.of(new PretextShardReady(PretextShardReady.SCHEMA_VERSION, shardId, instance.dataset(), split,
                List.of(rotation.descriptor()), List.of(1, size, size), out.size(), key, seed));
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
