package io.medssl.pretext.bench;

import io.medssl.imaging.GrayImage;
import io.medssl.imaging.PixelArray;
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
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Samples/s of each pretext task on one thread (= per core), over the frames in an .npy file
 * (float32 (N, S, S)). Prints one "task samples_per_second" line per task. Run by bench/pretext/run
 * next to the numpy baseline on the same frames.
 */
public final class PretextBench {
    private PretextBench() {
    }

    public static void main(String[] args) throws Exception {
        Path framesFile = Path.of(args[0]);
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3;
        PixelArray frames;
        try (InputStream in = Files.newInputStream(framesFile)) {
            frames = PixelArray.readNpy(in);
        }
        int size = frames.rows();
        List<List<GrayImage>> instances = new ArrayList<>();
        // Instances of three frames each, as a short multi-frame object.
        for (int i = 0; i + 3 <= frames.frames(); i += 3) {
            instances.add(List.of(frames.frame(i), frames.frame(i + 1), frames.frame(i + 2)));
        }
        List<PretextTaskGenerator> tasks = List.of(new RotationTask(), new JigsawTask(size, 100, 0.25, 2),
                new RelativePositionTask(size, 0.25, 2), new IntensityRestorationTask(), new InpaintingTask(),
                new CorruptionDetectionTask(), new FrameOrderTask(), new ConsistencyViewsTask(AugmentationPolicy.DEFAULT));
        for (PretextTaskGenerator task : tasks) {
            run(task, instances, seconds / 2); // warm-up: let the JIT compile the hot loops
            double rate = run(task, instances, seconds);
            System.out.printf("%s %.1f%n", task.name(), rate);
        }
    }

    private static double run(PretextTaskGenerator task, List<List<GrayImage>> instances, double seconds) {
        long samples = 0;
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        int i = 0;
        long sink = 0;
        while (System.nanoTime() < deadline) {
            var out = task.generate(instances.get(i++ % instances.size()), new SplittableRandom(i));
            samples += out.size();
            sink += out.get(0).input().length;
        }
        if (sink == 42) {
            System.out.print("");
        }
        return samples / ((System.nanoTime() - start) / 1e9);
    }
}
