package io.medssl.phantom;

import java.util.Objects;

/**
 * Renders one axial CT-like chest slice, in Hounsfield units, from a seed and a class. The same
 * seed, class and size always give the same pixels.
 *
 * <p>Rendering: the anatomy ({@link ChestAnatomy}) is sampled 3 × 3 times per pixel (partial
 * volume, so a nodule smaller than a pixel is faint rather than absent or full-strength), blurred
 * by a reconstruction kernel of varying width, scaled by a per-patient gain and offset (scanner
 * calibration), and given correlated Gaussian noise of varying strength.
 */
public final class ChestPhantom {
    public static final int DEFAULT_SIZE = 128;
    /** The square field of view: the larger image side spans it. */
    public static final double FIELD_OF_VIEW_MM = 400;
    static final int MIN_SIZE = 32;
    static final int MAX_SIZE = 2048;
    private static final int SUPERSAMPLE = 3;
    static final short MIN_HU = -1024;
    static final short MAX_HU = 3071;

    private ChestPhantom() {
    }

    public static PhantomSlice render(long seed, PhantomClass label) {
        return render(seed, label, DEFAULT_SIZE, DEFAULT_SIZE);
    }

    public static PhantomSlice render(long seed, PhantomClass label, int rows, int cols) {
        Objects.requireNonNull(label, "label");
        if (rows < MIN_SIZE || cols < MIN_SIZE || rows > MAX_SIZE || cols > MAX_SIZE) {
            throw new IllegalArgumentException("phantom size must be " + MIN_SIZE + ".." + MAX_SIZE + ", was " + rows + "x" + cols);
        }
        Draws draws = new Draws(seed);
        ChestAnatomy anatomy = new ChestAnatomy(draws, label);
        int size = Math.max(rows, cols);
        double unitsPerPixel = 2.0 / size;
        double spacingMm = FIELD_OF_VIEW_MM / size;
        int n = rows * cols;
        float[] hu = new float[n];
        boolean[] lung = new boolean[n];
        boolean[] finding = new boolean[n];
        for (int r = 0; r < rows; r++) {
            double yc = (r + 0.5 - rows / 2.0) * unitsPerPixel;
            for (int c = 0; c < cols; c++) {
                double xc = (c + 0.5 - cols / 2.0) * unitsPerPixel;
                double sum = 0;
                boolean hit = false;
                for (int sy = 0; sy < SUPERSAMPLE; sy++) {
                    double y = yc + ((sy + 0.5) / SUPERSAMPLE - 0.5) * unitsPerPixel;
                    for (int sx = 0; sx < SUPERSAMPLE; sx++) {
                        double x = xc + ((sx + 0.5) / SUPERSAMPLE - 0.5) * unitsPerPixel;
                        sum += anatomy.sample(x, y);
                        hit |= anatomy.lastSampleWasFinding;
                    }
                }
                int i = r * cols + c;
                hu[i] = (float) (sum / (SUPERSAMPLE * SUPERSAMPLE));
                finding[i] = hit;
                lung[i] = anatomy.inLung(xc, yc);
            }
        }
        float[] blurred = gaussianBlur(hu, rows, cols, anatomy.blurMm / spacingMm);
        float[] noise = correlatedNoise(draws, rows, cols);
        short[] out = new short[n];
        for (int i = 0; i < n; i++) {
            double v = blurred[i] * anatomy.gain + anatomy.offsetHu + noise[i] * anatomy.noiseHu;
            out[i] = (short) Math.max(MIN_HU, Math.min(MAX_HU, Math.round(v)));
        }
        return new PhantomSlice(rows, cols, out, lung, finding, spacingMm);
    }

    /** Separable Gaussian blur with edge clamping; sigma in pixels. */
    static float[] gaussianBlur(float[] in, int rows, int cols, double sigma) {
        int radius = Math.max(1, (int) Math.ceil(3 * sigma));
        double[] k = new double[2 * radius + 1];
        double total = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = Math.exp(-0.5 * i * i / (sigma * sigma));
            total += k[i + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= total;
        }
        float[] tmp = new float[in.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double s = 0;
                for (int j = -radius; j <= radius; j++) {
                    s += k[j + radius] * in[r * cols + Math.max(0, Math.min(cols - 1, c + j))];
                }
                tmp[r * cols + c] = (float) s;
            }
        }
        float[] out = new float[in.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double s = 0;
                for (int j = -radius; j <= radius; j++) {
                    s += k[j + radius] * tmp[Math.max(0, Math.min(rows - 1, r + j)) * cols + c];
                }
                out[r * cols + c] = (float) s;
            }
        }
        return out;
    }

    /**
     * Unit-variance noise with the fine grain of CT noise: white Gaussian noise smoothed by a
     * [1 2 1] ⊗ [1 2 1] / 16 kernel, whose output variance is (6/16)², hence the 16/6 rescale.
     */
    static float[] correlatedNoise(Draws draws, int rows, int cols) {
        int pr = rows + 2;
        int pc = cols + 2;
        double[] white = new double[pr * pc];
        for (int i = 0; i < white.length; i++) {
            white[i] = draws.gaussian();
        }
        float[] out = new float[rows * cols];
        double[] w = {1, 2, 1};
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double s = 0;
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) {
                        s += w[i] * w[j] * white[(r + i) * pc + c + j];
                    }
                }
                out[r * cols + c] = (float) (s / 16 * (16.0 / 6));
            }
        }
        return out;
    }
}
