package io.medssl.imaging;

/**
 * One grayscale frame, row-major, intensities normalised to [0, 1] (after modality LUT, VOI window
 * and photometric interpretation have been applied by the decoder).
 */
public record GrayImage(int rows, int cols, float[] pixels) {

    public GrayImage {
        if (rows <= 0 || cols <= 0 || pixels.length != rows * cols) {
            throw new IllegalArgumentException("bad image geometry " + rows + "x" + cols + " for " + pixels.length + " pixels");
        }
    }

    public float at(int row, int col) {
        return pixels[row * cols + col];
    }
}
