package io.medssl.pretext.tasks;

import io.medssl.contracts.PretextTask;
import io.medssl.imaging.GrayImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The grayscale analogue of colorization: the frame under a random gamma, a random (too narrow or
 * shifted) window and coarse quantisation; the target is the normalised original. Restoring it
 * needs knowledge of what tissue intensities should look like.
 */
public final class IntensityRestorationTask implements PretextTaskGenerator {
    public static final String NAME = "intensity-restoration";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String kind() {
        return PretextTask.REGRESSION;
    }

    @Override
    public int classes() {
        return 0;
    }

    @Override
    public int[] inputShape(int size) {
        return new int[] {1, size, size};
    }

    @Override
    public int[] targetShape(int size) {
        return new int[] {1, size, size};
    }

    @Override
    public List<TaskSample> generate(List<GrayImage> frames, SplittableRandom random) {
        List<TaskSample> out = new ArrayList<>(frames.size());
        for (GrayImage frame : frames) {
            out.add(TaskSample.regressed(degrade(frame.pixels(), random), frame.pixels().clone()));
        }
        return out;
    }

    /** Gamma in [0.4, 2.5] (log-uniform), window [low, high] with low ≤ 0.25 ≤ 0.75 ≤ high, 4–16 levels. */
    static float[] degrade(float[] source, SplittableRandom random) {
        double gamma = Math.exp(Math.log(0.4) + random.nextDouble() * (Math.log(2.5) - Math.log(0.4)));
        double low = random.nextDouble() * 0.25;
        double high = 0.75 + random.nextDouble() * 0.25;
        int levels = 4 + random.nextInt(13);
        float[] out = new float[source.length];
        for (int i = 0; i < source.length; i++) {
            double v = (Math.pow(source[i], gamma) - low) / (high - low);
            v = v < 0 ? 0 : (v > 1 ? 1 : v);
            out[i] = (float) (Math.round(v * (levels - 1)) / (double) (levels - 1));
        }
        return out;
    }
}
