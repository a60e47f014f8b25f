package io.medssl.imaging;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} format (version 1.0/2.0), for the dtypes MedSSL stores: little-endian
 * float32 ({@code <f4}), uint16 ({@code <u2}), int64 ({@code <i8}) and uint8 ({@code |u1}), C order.
 * Written files load with {@code numpy.load} and DJL's {@code NDList.decode}.
 */
public final class Npy {
    private static final int WRITE_CHUNK_VALUES = 16 * 1024;
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** A decoded array: its dtype descriptor, shape and little-endian raw bytes. */
    public record Array(String descr, int[] shape, byte[] data) {
        public long size() {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }

        public float[] asFloats() throws IOException {
            require("<f4");
            float[] out = new float[(int) size()];
            ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        }

        /** uint16 values (Java's unsigned 16-bit type is {@code char}). */
        public char[] asUint16() throws IOException {
            require("<u2");
            char[] out = new char[(int) size()];
            ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asCharBuffer().get(out);
            return out;
        }

        public long[] asLongs() throws IOException {
            require("<i8");
            long[] out = new long[(int) size()];
            ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
            return out;
        }

        private void require(String expected) throws IOException {
            if (!descr.equals(expected)) {
                throw new IOException("expected dtype " + expected + " but array has " + descr);
            }
        }
    }

    private Npy() {
    }

    public static void writeFloat32(OutputStream out, float[] values, int... shape) throws IOException {
        checkSize(values.length, shape);
        writeHeader(out, "<f4", shape);
        // In chunks: a 512x512 image would otherwise need a second 1 MB array per write.
        ByteBuffer buf = ByteBuffer.allocate(Math.min(values.length, WRITE_CHUNK_VALUES) * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < values.length; from += WRITE_CHUNK_VALUES) {
            int count = Math.min(WRITE_CHUNK_VALUES, values.length - from);
            buf.clear();
            buf.asFloatBuffer().put(values, from, count);
            out.write(buf.array(), 0, count * 4);
        }
    }

    public static void writeInt64(OutputStream out, long[] values, int... shape) throws IOException {
        checkSize(values.length, shape);
        writeHeader(out, "<i8", shape);
        ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put(values);
        out.write(buf.array());
    }

    private static void checkSize(int length, int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n != length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + length + " values");
        }
    }

    static void writeHeader(OutputStream out, String descr, int[] shape) throws IOException {
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(d).append(", ");
        }
        String shapeText = shape.length == 1 ? shape[0] + "," : dims.substring(0, Math.max(0, dims.length() - 2));
        StringBuilder header = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shapeText + "), }");
        // Pad with spaces so that data starts on a 64-byte boundary, ending with a newline.
        int total = MAGIC.length + 2 + 2 + header.length() + 1;
        header.append(" ".repeat((64 - total % 64) % 64)).append('\n');
        byte[] headerBytes = header.toString().getBytes(StandardCharsets.US_ASCII);
        out.write(MAGIC);
        out.write(1);
        out.write(0);
        out.write(headerBytes.length & 0xff);
        out.write(headerBytes.length >>> 8);
        out.write(headerBytes);
    }

    public static Array read(InputStream input) throws IOException {
        DataInputStream in = new DataInputStream(input);
        byte[] magic = new byte[MAGIC.length];
        try {
            in.readFully(magic);
        } catch (EOFException e) {
            throw new IOException("not an .npy file: too short");
        }
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException("not an .npy file: bad magic");
        }
        int major = in.readUnsignedByte();
        in.readUnsignedByte();
        int headerLength;
        if (major == 1) {
            headerLength = in.readUnsignedByte() | (in.readUnsignedByte() << 8);
        } else if (major == 2 || major == 3) {
            headerLength = Integer.reverseBytes(in.readInt());
        } else {
            throw new IOException("unsupported .npy version " + major);
        }
        if (headerLength < 0 || headerLength > 1 << 20) {
            throw new IOException("implausible .npy header length " + headerLength);
        }
        byte[] headerBytes = new byte[headerLength];
        in.readFully(headerBytes);
        String header = new String(headerBytes, StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, "descr");
        if (group(FORTRAN, header, "fortran_order").equals("True")) {
            throw new IOException("Fortran-ordered .npy arrays are not supported");
        }
        String shapeText = group(SHAPE, header, "shape").trim();
        int[] shape = shapeText.isEmpty() ? new int[0]
                : Arrays.stream(shapeText.split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
        int itemSize = switch (descr) {
            case "<f4" -> 4;
            case "<u2" -> 2;
            case "<i8" -> 8;
            case "|u1", "<u1" -> 1;
            default -> throw new IOException("unsupported dtype " + descr);
        };
        long bytes = itemSize;
        for (int d : shape) {
            if (d < 0) {
                throw new IOException("negative dimension in .npy shape");
            }
            bytes *= d;
        }
        if (bytes > Integer.MAX_VALUE - 16) {
            throw new IOException("array too large: " + bytes + " bytes");
        }
        byte[] data = new byte[(int) bytes];
        try {
            in.readFully(data);
        } catch (EOFException e) {
            throw new IOException("truncated .npy file: expected " + bytes + " data bytes");
        }
        return new Array(descr, shape, data);
    }

    private static String group(Pattern pattern, String header, String what) throws IOException {
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            throw new IOException(".npy header has no " + what + ": " + header.trim());
        }
        return m.group(1);
    }
}
