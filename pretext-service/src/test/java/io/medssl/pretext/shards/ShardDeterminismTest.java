package io.medssl.pretext.shards;

import static org.assertj.core.api.Assertions.assertThat;

import io.medssl.imaging.GrayImage;
import io.medssl.pretext.augment.AugmentationPolicy;
import io.medssl.pretext.tasks.ConsistencyViewsTask;
import io.medssl.pretext.tasks.CorruptionDetectionTask;
import io.medssl.pretext.tasks.FrameOrderTask;
import io.medssl.pretext.tasks.InpaintingTask;
import io.medssl.pretext.tasks.IntensityRestorationTask;
import io.medssl.pretext.tasks.JigsawTask;
import io.medssl.pretext.tasks.PretextTaskGenerator;
import io.medssl.pretext.tasks.RelativePositionTask;
import io.medssl.pretext.tasks.RotationTask;
import io.medssl.storage.FileBlobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardDeterminismTest {
    static final int S = 64;

    private static List<GrayImage> frames() {
        Random r = new Random(11);
        List<GrayImage> frames = new ArrayList<>();
        for (int f = 0; f < 3; f++) {
            float[] p = new float[S * S];
            for (int i = 0; i < p.length; i++) {
                p[i] = r.nextFloat();
            }
            frames.add(new GrayImage(S, S, p));
        }
        return frames;
    }

    private static byte[] shard(Path dir, String name, long seed) throws Exception {
        List<PretextTaskGenerator> tasks = List.of(new RotationTask(), new JigsawTask(S, 24, 0.25, 2),
                new RelativePositionTask(S, 0.25, 2), new IntensityRestorationTask(), new InpaintingTask(),
                new CorruptionDetectionTask(), new FrameOrderTask(), new ConsistencyViewsTask(AugmentationPolicy.DEFAULT));
        List<ShardWriter.TaskSamples> all = new ArrayList<>();
        for (PretextTaskGenerator task : tasks) {
            var samples = task.generate(frames(), new SplittableRandom(seed * 31 + task.name().hashCode()));
            all.add(new ShardWriter.TaskSamples(task.descriptor(S, samples.size()), samples));
        }
        var store = new FileBlobStore(dir);
        ShardWriter.write(store, name, all);
        return Files.readAllBytes(store.localPath(name));
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes(@TempDir Path dir) throws Exception {
        byte[] first = shard(dir, "a.npz", 1);
        byte[] second = shard(dir, "b.npz", 1);
        byte[] other = shard(dir, "c.npz", 2);
        assertThat(second).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }
}
