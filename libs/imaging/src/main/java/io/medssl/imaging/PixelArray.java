package io.medssl.imaging;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The normalised pixel array that ingest-service stores for every decodable instance and every
 * other service reads: {@code [frames][rows][cols]}, values in [0, 1]. Stored as a NumPy
 * {@code .npy} file of uint16 ({@code <u2}), each value the intensity times 65,535 rounded
 * ({@code numpy.load(f) / 65535} gives it back within 1/131,070): half the bytes of float32 for
 * every CT slice stored and read, and finer than float16 or than the 16-bit stored values the
 * intensities come from. Arrays stored as float32 ({@code <f4}, values in [0, 1]) read as they are.
 */
public record PixelArray(int frames, int rows, int cols, float[] data) {
    /** The uint16 value of intensity 1. */
    public static final int SCALE = 65_535;
    private static final int WRITE_CHUNK_VALUES = 32 * 1024;

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
        Npy.writeHeader(out, "<u2", new int[] {frames, rows, cols});
        // In chunks: a 512x512 image would otherwise need a second 512 KB array per write.
        ByteBuffer chunk = ByteBuffer.allocate(2 * Math.min(data.length, WRITE_CHUNK_VALUES)).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < data.length; from += WRITE_CHUNK_VALUES) {
            int count = Math.min(WRITE_CHUNK_VALUES, data.length - from);
            for (int i = 0; i < count; i++) {
                chunk.putShort(2 * i, (short) toUint16(data[from + i]));
            }
            out.write(chunk.array(), 0, 2 * count);
        }
    }

    /** An intensity in [0, 1] (clamped; NaN: 0) as its uint16 value. */
    static int toUint16(float intensity) {
        return intensity > 0 ? (int) (Math.min(intensity, 1f) * SCALE + 0.5f) : 0;
    }

    public static PixelArray readNpy(InputStream in) throws IOException {
        Npy.Array array = Npy.read(in);
        int[] shape = array.shape();
        if (shape.length != 3) {
            throw new IOException("pixel array must have 3 dimensions (frames, rows, cols), found " + Arrays.toString(shape));
        }
        return new PixelArray(shape[0], shape[1], shape[2], switch (array.descr()) {
            case "<u2" -> {
                char[] values = array.asUint16();
                float[] intensities = new float[values.length];
                for (int i = 0; i < values.length; i++) {
                    intensities[i] = values[i] / (float) SCALE;
                }
                yield intensities;
            }
            case "<f4" -> array.asFloats();
            default -> throw new IOException("pixel array must be uint16 or float32, found " + array.descr());
        });
    }
}
