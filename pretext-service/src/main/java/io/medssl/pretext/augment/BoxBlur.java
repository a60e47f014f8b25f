package io.medssl.pretext.augment;

/**
 * Separable box blur of a square frame with edge clamping, in running sums: the cost per pixel does
 * not grow with the radius. Repeated passes approach a Gaussian.
 */
public final class BoxBlur {
    private BoxBlur() {
    }

    public static float[] blur(float[] p, int size, int radius, int passes) {
        float[] a = p;
        float[] tmp = new float[p.length];
        for (int k = 0; k < passes; k++) {
            float[] out = new float[p.length];
            horizontal(a, tmp, size, radius);
            vertical(tmp, out, size, radius);
            a = out;
        }
        return a == p ? p.clone() : a;
    }

    private static void horizontal(float[] in, float[] out, int size, int radius) {
        float norm = 1f / (2 * radius + 1);
        for (int r = 0; r < size; r++) {
            int row = r * size;
            double sum = 0;
            for (int k = -radius; k <= radius; k++) {
                sum += in[row + clamp(k, size)];
            }
            for (int c = 0; c < size; c++) {
                out[row + c] = (float) (sum * norm);
                sum += in[row + clamp(c + radius + 1, size)] - in[row + clamp(c - radius, size)];
            }
        }
    }

    private static void vertical(float[] in, float[] out, int size, int radius) {
        float norm = 1f / (2 * radius + 1);
        for (int c = 0; c < size; c++) {
            double sum = 0;
            for (int k = -radius; k <= radius; k++) {
                sum += in[clamp(k, size) * size + c];
            }
            for (int r = 0; r < size; r++) {
                out[r * size + c] = (float) (sum * norm);
                sum += in[clamp(r + radius + 1, size) * size + c] - in[clamp(r - radius, size) * size + c];
            }
        }
    }

    private static int clamp(int i, int size) {
        return i < 0 ? 0 : (i >= size ? size - 1 : i);
    }
}
