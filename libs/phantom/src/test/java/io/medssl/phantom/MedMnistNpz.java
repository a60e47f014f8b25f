package io.medssl.phantom;

import io.medssl.imaging.Npy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Test helper: writes {@code .npz} files with the MedMNIST schema ({@code train_images} uint8
 * (N, H, W) or (N, H, W, C), {@code train_labels} uint8 (N, 1), likewise {@code val_} and
 * {@code test_}), with .npy v1.0 headers exactly as NumPy writes them ({@code numpy.load} reads the
 * result; checked by {@link MedMnistExportTest} when NumPy is installed).
 */
final class MedMnistNpz {
    static final String[] SPLITS = {"train", "val", "test"};

    private MedMnistNpz() {
    }

    static Npy.Array uint8(byte[] data, int... shape) {
        return new Npy.Array("|u1", shape, data);
    }

    static Npy.Array int64(long[] values, int... shape) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put(values);
        return new Npy.Array("<i8", shape, buf.array());
    }

    /**
     * A synthetic MedMNIST-like data set: {@code counts[s]} images of {@code side × side} in split s
     * (train, val, test), labels cycling through the classes in a seeded shuffle. Class {@code k}
     * is a sinusoidal grating at angle {@code k·180°/classes} (class 0: stripes varying down the
     * rows, i.e. horizontal stripes; with two classes, class 1: vertical stripes), plus noise.
     * With {@code channels > 1} the images are (N, H, W, C) colour images of the same grating
     * tinted differently per channel.
     */
    static Map<String, Npy.Array> synthetic(int classes, int side, int[] counts, int channels, long seed) {
        Random random = new Random(seed);
        Map<String, Npy.Array> arrays = new LinkedHashMap<>();
        for (int s = 0; s < SPLITS.length; s++) {
            int n = counts[s];
            byte[] labels = new byte[n];
            for (int i = 0; i < n; i++) {
                labels[i] = (byte) (i % classes);
            }
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                byte t = labels[i];
                labels[i] = labels[j];
                labels[j] = t;
            }
            byte[] images = new byte[n * side * side * channels];
            for (int i = 0; i < n; i++) {
                double angle = Math.PI * labels[i] / classes;
                double phase = random.nextDouble() * 2 * Math.PI;
                for (int r = 0; r < side; r++) {
                    for (int c = 0; c < side; c++) {
                        double wave = Math.sin(2 * Math.PI * (r * Math.cos(angle) + c * Math.sin(angle)) / 6 + phase);
                        for (int ch = 0; ch < channels; ch++) {
                            double tint = channels == 1 ? 1 : 0.6 + 0.2 * ch;
                            double v = 128 + tint * 100 * wave + random.nextGaussian() * 8;
                            images[((i * side + r) * side + c) * channels + ch] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                        }
                    }
                }
            }
            int[] shape = channels == 1 ? new int[] {n, side, side} : new int[] {n, side, side, channels};
            arrays.put(SPLITS[s] + "_images", uint8(images, shape));
            arrays.put(SPLITS[s] + "_labels", uint8(labels, n, 1));
        }
        return arrays;
    }

    /** Writes the arrays as an .npz (deflated zip of name.npy entries, as numpy.savez_compressed). */
    static Path write(Path file, Map<String, Npy.Array> arrays) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, Npy.Array> e : arrays.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                zip.write(npy(e.getValue()));
                zip.closeEntry();
            }
        }
        return file;
    }

    /** One .npy file, version 1.0: magic, header dict padded with spaces to 64 bytes and a newline, data. */
    static byte[] npy(Npy.Array array) throws IOException {
        int[] shape = array.shape();
        StringBuilder dims = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            dims.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        if (shape.length == 1) {
            dims.append(',');
        }
        StringBuilder header = new StringBuilder("{'descr': '" + array.descr() + "', 'fortran_order': False, 'shape': ("
                + dims + "), }");
        int preamble = 6 + 2 + 2;
        header.append(" ".repeat((64 - (preamble + header.length() + 1) % 64) % 64)).append('\n');
        byte[] headerBytes = header.toString().getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.write(headerBytes.length & 0xff);
        out.write(headerBytes.length >>> 8);
        out.write(headerBytes);
        out.write(array.data());
        return out.toByteArray();
    }
}
