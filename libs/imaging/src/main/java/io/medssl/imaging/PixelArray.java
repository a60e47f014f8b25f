package io.medssl.imaging;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The normalised pixel array that ingest-service stores for every decodable instance and every
 * other service reads: {@code float32[frames][rows][cols]}, values in [0, 1], written as a
 * NumPy {@code .npy} file ({@code numpy.load} reads it as is).
 */
public record PixelArray(int frames, int rows, int cols, float[] data) {

    public PixelArray {
        if (frames <= 0 || rows <= 0 || cols <= 0 || data.length != (long) frames * rows * cols) {
            throw new IllegalArgumentException("bad array geometry " + frames + "x" + rows + "x" + cols);
        }
    }

    public GrayImage frame(int index) {
        int size = rows * cols;
        return new GrayImage(rows, cols, Arrays.copyOfRange(data, index * size, (index + 1) * size));
    }

    public void writeNpy(OutputStream out) throws IOException {
        Npy.writeFloat32(out, data, frames, rows, cols);
    }

    public static PixelArray readNpy(InputStream in) throws IOException {
        Npy.Array array = Npy.read(in);
        int[] shape = array.shape();
        if (shape.length != 3) {
            throw new IOException("pixel array must have 3 dimensions (frames, rows, cols), found " + Arrays.toString(shape));
        }
        return new PixelArray(shape[0], shape[1], shape[2], array.asFloats());
    }
}
