package io.medssl.phantom;

/**
 * One rendered slice with its ground truth, for tests and for experiments that want to know
 * where the finding is (e.g. checking a saliency map).
 *
 * @param hounsfield     rows × cols, row-major, in HU (air −1000 and below is clamped to −1024)
 * @param lungMask       pixels whose centre lies in a lung (as drawn before any finding)
 * @param findingMask    pixels touched by a nodule or by pleural fluid; all false for normal
 * @param pixelSpacingMm square pixels
 */
public record PhantomSlice(int rows, int cols, short[] hounsfield, boolean[] lungMask, boolean[] findingMask,
        double pixelSpacingMm) {

    public PhantomSlice {
        int n = rows * cols;
        if (rows <= 0 || cols <= 0 || hounsfield.length != n || lungMask.length != n || findingMask.length != n) {
            throw new IllegalArgumentException("bad slice geometry " + rows + "x" + cols);
        }
    }

    public short at(int row, int col) {
        return hounsfield[row * cols + col];
    }
}
