package io.medssl.pretext.tasks;

import io.medssl.pretext.augment.BoxBlur;
import io.medssl.pretext.augment.GaussianNoise;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The corruptions of {@link CorruptionDetectionTask}, each a realistic acquisition or processing
 * fault. The class index of a corruption is its ordinal.
 */
public enum Corruption {
    CLEAN,
    /** Additive Gaussian noise, σ in [0.04, 0.12]. */
    NOISE,
    /** Blur: a 3×3 or 5×5 box filter applied twice (close to a Gaussian). */
    BLUR,
    /** Two non-overlapping square patches (side S/8..S/4) exchanged. */
    PATCH_SWAP,
    /** Motion ghost: a copy shifted by S/6..S/3 (wrapping) blended in at 25–45 %. */
    GHOSTING,
    /** Smooth multiplicative bias field, a linear ramp 1 ± (0.25..0.4) in a random direction. */
    BIAS_FIELD;

    public static List<String> labels() {
        return java.util.Arrays.stream(values()).map(c -> c.name().toLowerCase().replace('_', '-')).toList();
    }

    /** The corrupted copy of a square frame {@code p} of side {@code size}. */
    public float[] apply(float[] p, int size, SplittableRandom random) {
        return switch (this) {
            case CLEAN -> p.clone();
            case NOISE -> noise(p, random);
            case BLUR -> blur(p, size, 1 + random.nextInt(2));
            case PATCH_SWAP -> patchSwap(p, size, random);
            case GHOSTING -> ghost(p, size, random);
            case BIAS_FIELD -> bias(p, size, random);
        };
    }

    private static float clamp(double v) {
        return (float) (v < 0 ? 0 : (v > 1 ? 1 : v));
    }

    private static float[] noise(float[] p, SplittableRandom random) {
        double sigma = 0.04 + random.nextDouble() * 0.08;
        float[] out = p.clone();
        GaussianNoise.add(out, sigma, random);
        for (int i = 0; i < out.length; i++) {
            out[i] = clamp(out[i]);
        }
        return out;
    }

    static float[] blur(float[] p, int size, int radius) {
        return BoxBlur.blur(p, size, radius, 2);
    }

    private static float[] patchSwap(float[] p, int size, SplittableRandom random) {
        float[] out = p.clone();
        int side = size / 8 + random.nextInt(size / 8 + 1);
        int ay;
        int ax;
        int by;
        int bx;
        do {
            ay = random.nextInt(size - side + 1);
            ax = random.nextInt(size - side + 1);
            by = random.nextInt(size - side + 1);
            bx = random.nextInt(size - side + 1);
        } while (Math.abs(ay - by) < side && Math.abs(ax - bx) < side);
        for (int r = 0; r < side; r++) {
            for (int c = 0; c < side; c++) {
                out[(ay + r) * size + ax + c] = p[(by + r) * size + bx + c];
                out[(by + r) * size + bx + c] = p[(ay + r) * size + ax + c];
            }
        }
        return out;
    }

    private static float[] ghost(float[] p, int size, SplittableRandom random) {
        double alpha = 0.25 + random.nextDouble() * 0.2;
        int shift = size / 6 + random.nextInt(size / 6 + 1);
        boolean vertical = random.nextBoolean();
        float[] out = new float[p.length];
        float keep = (float) (1 - alpha);
        float blend = (float) alpha;
        for (int r = 0; r < size; r++) {
            int sr = vertical ? (r >= shift ? r - shift : r - shift + size) : r;
            for (int c = 0; c < size; c++) {
                int sc = vertical ? c : (c >= shift ? c - shift : c - shift + size);
                float v = keep * p[r * size + c] + blend * p[sr * size + sc];
                out[r * size + c] = v > 1 ? 1 : v;
            }
        }
        return out;
    }

    private static float[] bias(float[] p, int size, SplittableRandom random) {
        double strength = 0.25 + random.nextDouble() * 0.15;
        double angle = random.nextDouble() * 2 * Math.PI;
        double dy = Math.sin(angle);
        double dx = Math.cos(angle);
        // The field is linear: 1 + a·y + b·x, split into a row term and a column term.
        float[] rowTerm = new float[size];
        float[] colTerm = new float[size];
        for (int i = 0; i < size; i++) {
            double t = 2.0 * (i + 0.5) / size - 1;
            rowTerm[i] = (float) (1 + strength * dy * t / Math.sqrt(2));
            colTerm[i] = (float) (strength * dx * t / Math.sqrt(2));
        }
        float[] out = new float[p.length];
        for (int r = 0; r < size; r++) {
            for (int c = 0; c < size; c++) {
                float v = p[r * size + c] * (rowTerm[r] + colTerm[c]);
                out[r * size + c] = v > 1 ? 1 : v;
            }
        }
        return out;
    }
}
