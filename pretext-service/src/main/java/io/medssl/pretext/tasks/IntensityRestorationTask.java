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
public final class IntensityRestorationTask extends BasePretextTask {
    public static final String NAME = "intensity-restoration";
    private static final int CELLS = 256;

    public IntensityRestorationTask() {
        super(NAME, PretextTask.REGRESSION, 0);
    }

    @Override
    public int[] inputShape(int size) {
        return image(1, size);
    }

    @Override
    public int[] targetShape(int size) {
        return image(1, size);
    }

    @Override
    public List<TaskSample> generate(List<GrayImage> frames, SplittableRandom random) {
        List<TaskSample> out = new ArrayList<>(frames.size());
        for (GrayImage frame : frames) {
            out.add(TaskSample.regressed(degrade(frame.pixels(), random), frame.pixels().clone()));
        }
        return out;
    }

    /**
     * Gamma in [0.4, 2.5] (log-uniform), window [low, high] with low ≤ 0.25 ≤ 0.75 ≤ high, 4–16
     * levels: level(s) = round(clip((s^γ − low) / (high − low)) × (L − 1)). The composition is
     * monotone, so instead of a power per pixel it is computed once per level boundary, mapped
     * back into source intensities, and each pixel is placed by comparison (identical result up
     * to rounding at a boundary).
     */
    static float[] degrade(float[] source, SplittableRandom random) {
        double gamma = Math.exp(Math.log(0.4) + random.nextDouble() * (Math.log(2.5) - Math.log(0.4)));
        double low = random.nextDouble() * 0.25;
        double high = 0.75 + random.nextDouble() * 0.25;
        int levels = 4 + random.nextInt(13);
        // Level ≥ k ⇔ s ≥ thresholds[k-1], for k = 1 .. L-1.
        float[] thresholds = new float[levels - 1];
        for (int k = 1; k < levels; k++) {
            double powered = low + (k - 0.5) / (levels - 1) * (high - low);
            thresholds[k - 1] = (float) Math.pow(powered, 1 / gamma);
        }
        float[] values = new float[levels];
        for (int k = 0; k < levels; k++) {
            values[k] = (float) (k / (double) (levels - 1));
        }
        // Level at the lower edge of each of 256 intensity cells; a pixel then needs at most a
        // comparison or two against the thresholds inside its cell.
        int[] start = new int[CELLS];
        for (int i = 0, level = 0; i < CELLS; i++) {
            float edge = (float) i / CELLS;
            while (level < thresholds.length && edge >= thresholds[level]) {
                level++;
            }
            start[i] = level;
        }
        float[] out = new float[source.length];
        for (int i = 0; i < source.length; i++) {
            float s = source[i];
            int cell = (int) (s * CELLS);
            int level = start[cell < 0 ? 0 : (cell >= CELLS ? CELLS - 1 : cell)];
            while (level < thresholds.length && s >= thresholds[level]) {
                level++;
            }
            out[i] = values[level];
        }
        return out;
    }
}
