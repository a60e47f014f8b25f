package io.medssl.pretext.tasks;

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
        float[] out = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = clamp(p[i] + sigma * gaussian(random));
        }
        return out;
    }

    /** Standard normal from two uniforms (Box–Muller); SplittableRandom has no nextGaussian on Java 17. */
    static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    static float[] blur(float[] p, int size, int radius) {
        return boxPass(boxPass(p, size, radius), size, radius);
    }

    /** One separable box filter of the given radius with edge clamping. */
    private static float[] boxPass(float[] p, int size, int radius) {
        float[] tmp = new float[p.length];
        float[] out = new float[p.length];
        int width = 2 * radius + 1;
        for (int r = 0; r < size; r++) {
            for (int c = 0; c < size; c++) {
                double sum = 0;
                for (int k = -radius; k <= radius; k++) {
                    sum += p[r * size + Math.min(size - 1, Math.max(0, c + k))];
                }
                tmp[r * size + c] = (float) (sum / width);
            }
        }
        for (int r = 0; r < size; r++) {
            for (int c = 0; c < size; c++) {
                double sum = 0;
                for (int k = -radius; k <= radius; k++) {
                    sum += tmp[Math.min(size - 1, Math.max(0, r + k)) * size + c];
                }
                out[r * size + c] = (float) (sum / width);
            }
        }
        return out;
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
        for (int r = 0; r < size; r++) {
            for (int c = 0; c < size; c++) {
                int sr = vertical ? Math.floorMod(r - shift, size) : r;
                int sc = vertical ? c : Math.floorMod(c - shift, size);
                out[r * size + c] = clamp((1 - alpha) * p[r * size + c] + alpha * p[sr * size + sc]);
            }
        }
        return out;
    }

    private static float[] bias(float[] p, int size, SplittableRandom random) {
        double strength = 0.25 + random.nextDouble() * 0.15;
        double angle = random.nextDouble() * 2 * Math.PI;
        double dy = Math.sin(angle);
        double dx = Math.cos(angle);
        float[] out = new float[p.length];
        for (int r = 0; r < size; r++) {
            double y = 2.0 * (r + 0.5) / size - 1;
            for (int c = 0; c < size; c++) {
                double x = 2.0 * (c + 0.5) / size - 1;
                double field = 1 + strength * (dy * y + dx * x) / Math.sqrt(2);
                out[r * size + c] = clamp(p[r * size + c] * field);
            }
        }
        return out;
    }
}
