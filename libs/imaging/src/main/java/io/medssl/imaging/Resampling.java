package io.medssl.imaging;

/** Geometric operations on {@link GrayImage}s. */
public final class Resampling {
    private Resampling() {
    }

    /**
     * Resizes the window (top, left, height, width) of {@code src} to outRows × outCols by
     * averaging, for each output pixel, the source area it covers (fractional overlaps weighted),
     * which avoids the aliasing a point sampler shows on large CT/MR downscales. When enlarging it
     * degrades to nearest-neighbour.
     */
    public static GrayImage resizeArea(GrayImage src, int top, int left, int height, int width, int outRows, int outCols) {
        if (top < 0 || left < 0 || height <= 0 || width <= 0 || top + height > src.rows() || left + width > src.cols()) {
            throw new IllegalArgumentException("window outside image");
        }
        float[] out = new float[outRows * outCols];
        double sy = (double) height / outRows;
        double sx = (double) width / outCols;
        float[] p = src.pixels();
        int cols = src.cols();
        for (int r = 0; r < outRows; r++) {
            double y0 = r * sy;
            double y1 = y0 + sy;
            int iy0 = (int) y0;
            int iy1 = Math.min(height, (int) Math.ceil(y1));
            for (int c = 0; c < outCols; c++) {
                double x0 = c * sx;
                double x1 = x0 + sx;
                int ix0 = (int) x0;
                int ix1 = Math.min(width, (int) Math.ceil(x1));
                double sum = 0;
                double area = 0;
                for (int y = iy0; y < iy1; y++) {
                    double wy = Math.min(y + 1, y1) - Math.max(y, y0);
                    if (wy <= 0) {
                        continue;
                    }
                    int rowBase = (top + y) * cols + left;
                    for (int x = ix0; x < ix1; x++) {
                        double wx = Math.min(x + 1, x1) - Math.max(x, x0);
                        if (wx <= 0) {
                            continue;
                        }
                        sum += p[rowBase + x] * wy * wx;
                        area += wy * wx;
                    }
                }
                out[r * outCols + c] = (float) (sum / area);
            }
        }
        return new GrayImage(outRows, outCols, out);
    }

    /** Rotates by {@code quarterTurns} × 90° counter-clockwise (numpy.rot90 semantics). */
    public static GrayImage rotate90(GrayImage src, int quarterTurns) {
        int k = Math.floorMod(quarterTurns, 4);
        int rows = src.rows();
        int cols = src.cols();
        float[] in = src.pixels();
        if (k == 0) {
            return new GrayImage(rows, cols, in.clone());
        }
        int outRows = k == 2 ? rows : cols;
        int outCols = k == 2 ? cols : rows;
        float[] out = new float[in.length];
        // One loop per turn, so the inner loop has no branch and reads or writes sequentially.
        switch (k) {
            case 1 -> {
                for (int r = 0; r < outRows; r++) {
                    int sc = cols - 1 - r;
                    for (int c = 0; c < outCols; c++) {
                        out[r * outCols + c] = in[c * cols + sc];
                    }
                }
            }
            case 2 -> {
                for (int i = 0, n = in.length; i < n; i++) {
                    out[i] = in[n - 1 - i];
                }
            }
            default -> {
                for (int r = 0; r < outRows; r++) {
                    for (int c = 0; c < outCols; c++) {
                        out[r * outCols + c] = in[(rows - 1 - c) * cols + r];
                    }
                }
            }
        }
        return new GrayImage(outRows, outCols, out);
    }
}
