package io.medssl.imaging;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * NumPy's {@code .npz} container: a zip of {@code name.npy} entries ({@code numpy.load} returns a
 * dict-like of arrays; DJL's {@code NDList.decode} reads it as a named list).
 */
public final class Npz {
    private Npz() {
    }

    /** Writes entries in order; each writer writes one .npy array. */
    public static final class Writer implements AutoCloseable {
        /** 1980-01-02: the zip format cannot store earlier times, in any time zone. */
        private static final long FIXED_TIME = 315_619_200_000L;
        private final ZipOutputStream zip;

        public Writer(OutputStream out) {
            this.zip = new ZipOutputStream(out);
            // Samples are mostly noise-like floats: deflate costs time and saves little.
            zip.setLevel(1);
        }

        public void putFloat32(String name, float[] values, int... shape) throws IOException {
            zip.putNextEntry(entry(name));
            Npy.writeFloat32(unclosable(), values, shape);
            zip.closeEntry();
        }

        public void putInt64(String name, long[] values, int... shape) throws IOException {
            zip.putNextEntry(entry(name));
            Npy.writeInt64(unclosable(), values, shape);
            zip.closeEntry();
        }

        /** A fixed timestamp keeps the bytes of a shard a function of its content alone. */
        private static ZipEntry entry(String name) {
            ZipEntry entry = new ZipEntry(name + ".npy");
            entry.setTime(FIXED_TIME);
            return entry;
        }

        private OutputStream unclosable() {
            return new FilterOutputStream(zip) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public void close() throws IOException {
            zip.finish();
            zip.flush();
        }
    }

    /** Reads every array of an .npz stream, keyed by name without the .npy suffix. */
    public static Map<String, Npy.Array> read(InputStream in) throws IOException {
        Map<String, Npy.Array> arrays = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                String name = entry.getName();
                if (!name.endsWith(".npy")) {
                    throw new IOException("unexpected entry in .npz: " + name);
                }
                arrays.put(name.substring(0, name.length() - 4), Npy.read(zip));
            }
        }
        if (arrays.isEmpty()) {
            throw new IOException("empty or invalid .npz");
        }
        return arrays;
    }
}
