package io.medssl.trainer.data;

import io.medssl.imaging.GrayImage;
import io.medssl.imaging.ModelInput;
import io.medssl.imaging.Npy;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a <a href="https://medmnist.com">MedMNIST</a> {@code .npz} file (as downloaded by the
 * {@code medmnist} package, e.g. {@code pneumoniamnist.npz} or {@code bloodmnist_64.npz}) into
 * {@link LabeledImages}, one per official split.
 *
 * <p>Schema: {@code train_images}, {@code val_images}, {@code test_images} are {@code uint8} arrays of
 * shape {@code (N, H, W)} (grayscale) or {@code (N, H, W, C)} with {@code C} = 1, 3 or 4 (colour,
 * converted to luminance with the ITU-R BT.601 weights that PIL's {@code convert("L")} uses, alpha
 * ignored); {@code train_labels}, {@code val_labels}, {@code test_labels} are {@code uint8} or
 * {@code int64} arrays of shape {@code (N, 1)} or {@code (N,)}. Multi-label sets (ChestMNIST, labels
 * {@code (N, 14)}) and the 3D sets ({@code (N, D, H, W)} volumes) are rejected with a clear error.
 *
 * <p>Each image goes through the product's own preprocessing, {@link ModelInput#square} (centred
 * square crop, area-average resize), after scaling pixels to [0, 1] by {@code v / 255}, so models
 * trained here see inputs prepared exactly as pretext-service and inference-service prepare theirs.
 *
 * <p><b>Patients.</b> MedMNIST publishes no patient identifiers (its official splits are said to be
 * patient-disjoint where the source data allowed it, but the ids are not distributed), so every
 * image gets a synthetic id of its own, {@code medmnist-<split>-<index>} (e.g.
 * {@code medmnist-train-000123}). Patient-grouped re-splitting of these images therefore degrades to
 * per-image splitting; use the official splits for evaluation.
 *
 * <p><b>Classes.</b> Named {@code "0"} .. {@code "K-1"} unless names are given, where {@code K} is
 * one more than the largest label found in <em>any</em> split, so all splits share one class list
 * even when a small split lacks the last class.
 *
 * <p>Arrays are read with {@link Npy} (the zip entries are opened directly, so reading one split
 * does not decode the others' images). One array must fit a Java array (under 2 GiB): fine for the
 * 28/64/128 variants; the largest 224-pixel training sets exceed it.
 */
public final class MedMnistSource {

    /** The three official MedMNIST splits, with their key prefix in the {@code .npz}. */
    public enum Split {
        TRAIN("train"), VAL("val"), TEST("test");

        private final String key;

        Split(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    private final Path npz;
    private final int size;
    private final List<String> classNames;

    /** A source whose classes are named {@code "0"} .. {@code "K-1"}. */
    public MedMnistSource(Path npz, int size) {
        this(npz, size, null);
    }

    /**
     * @param npz the MedMNIST {@code .npz} file
     * @param size side of the square images produced (e.g. 64)
     * @param classNames names of classes 0..K-1 (e.g. from the {@code medmnist} INFO dict), or
     *     {@code null} for {@code "0"} .. {@code "K-1"}; every label must be below its size
     */
    public MedMnistSource(Path npz, int size, List<String> classNames) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive: " + size);
        }
        this.npz = Objects.requireNonNull(npz, "npz");
        this.size = size;
        this.classNames = classNames == null ? null : List.copyOf(classNames);
    }

    public Path npz() {
        return npz;
    }

    public int size() {
        return size;
    }

    /** Reads one split. */
    public LabeledImages read(Split split) throws IOException {
        try (ZipFile zip = open()) {
            List<String> classes = classes(zip);
            return convert(split, array(zip, split.key() + "_images"), array(zip, split.key() + "_labels"), size, classes);
        }
    }

    /** Reads all three splits. */
    public Map<Split, LabeledImages> readAll() throws IOException {
        Map<Split, LabeledImages> all = new EnumMap<>(Split.class);
        try (ZipFile zip = open()) {
            List<String> classes = classes(zip);
            for (Split split : Split.values()) {
                all.put(split, convert(split, array(zip, split.key() + "_images"), array(zip, split.key() + "_labels"), size,
                        classes));
            }
        }
        return all;
    }

    /**
     * Converts already decoded arrays (e.g. from {@link io.medssl.imaging.Npz#read} on a stream) of
     * a MedMNIST file: all three splits, classes as described in the class comment.
     */
    public static Map<Split, LabeledImages> convert(Map<String, Npy.Array> arrays, int size, List<String> classNames)
            throws IOException {
        List<Npy.Array> labelArrays = new ArrayList<>();
        for (Split split : Split.values()) {
            labelArrays.add(required(arrays, split.key() + "_labels"));
        }
        List<String> classes = classes(labelArrays, classNames);
        Map<Split, LabeledImages> all = new EnumMap<>(Split.class);
        for (Split split : Split.values()) {
            all.put(split, convert(split, required(arrays, split.key() + "_images"), required(arrays, split.key() + "_labels"),
                    size, classes));
        }
        return all;
    }

    /** The synthetic patient id of image {@code index} of a split, e.g. {@code medmnist-train-000123}. */
    public static String patientId(Split split, int index) {
        return String.format(Locale.ROOT, "medmnist-%s-%06d", split.key(), index);
    }

    private ZipFile open() throws IOException {
        try {
            return new ZipFile(npz.toFile());
        } catch (ZipException e) {
            throw new IOException("not a .npz (zip) file: " + npz + " (" + e.getMessage() + ")", e);
        }
    }

    private List<String> classes(ZipFile zip) throws IOException {
        List<Npy.Array> labels = new ArrayList<>();
        for (Split split : Split.values()) {
            labels.add(array(zip, split.key() + "_labels"));
        }
        return classes(labels, classNames);
    }

    private Npy.Array array(ZipFile zip, String name) throws IOException {
        ZipEntry entry = zip.getEntry(name + ".npy");
        if (entry == null) {
            throw new IOException(npz + " has no array '" + name + "': not a MedMNIST .npz");
        }
        try (InputStream in = new BufferedInputStream(zip.getInputStream(entry), 1 << 16)) {
            return Npy.read(in);
        } catch (IOException e) {
            throw new IOException(npz + ": array '" + name + "': " + e.getMessage(), e);
        }
    }

    private static Npy.Array required(Map<String, Npy.Array> arrays, String name) throws IOException {
        Npy.Array array = arrays.get(name);
        if (array == null) {
            throw new IOException("no array '" + name + "': not a MedMNIST .npz");
        }
        return array;
    }

    private static List<String> classes(List<Npy.Array> labelArrays, List<String> classNames) throws IOException {
        int max = -1;
        for (Npy.Array labels : labelArrays) {
            for (int label : labels(labels)) {
                max = Math.max(max, label);
            }
        }
        if (classNames != null) {
            if (max >= classNames.size()) {
                throw new IOException("label " + max + " found but only " + classNames.size() + " class names given");
            }
            return List.copyOf(classNames);
        }
        List<String> classes = new ArrayList<>();
        for (int c = 0; c <= max; c++) {
            classes.add(Integer.toString(c));
        }
        return List.copyOf(classes);
    }

    /** Labels of shape (N,) or (N, 1), uint8 or int64. */
    static int[] labels(Npy.Array array) throws IOException {
        int[] shape = array.shape();
        if (shape.length == 2 && shape[1] != 1) {
            throw new IOException("labels of shape " + Arrays.toString(shape)
                    + " are multi-label (e.g. ChestMNIST); only single-label MedMNIST sets are supported");
        }
        if (shape.length != 1 && shape.length != 2) {
            throw new IOException("labels must have shape (N,) or (N, 1), found " + Arrays.toString(shape));
        }
        int n = shape[0];
        int[] out = new int[n];
        switch (array.descr()) {
            case "|u1", "<u1" -> {
                byte[] data = array.data();
                for (int i = 0; i < n; i++) {
                    out[i] = data[i] & 0xff;
                }
            }
            case "<i8" -> {
                long[] values = new long[n];
                ByteBuffer.wrap(array.data()).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(values);
                for (int i = 0; i < n; i++) {
                    if (values[i] < 0 || values[i] > Integer.MAX_VALUE) {
                        throw new IOException("label " + values[i] + " at index " + i + " is not a class index");
                    }
                    out[i] = (int) values[i];
                }
            }
            default -> throw new IOException("labels must be uint8 or int64, found dtype " + array.descr());
        }
        return out;
    }

    private static LabeledImages convert(Split split, Npy.Array images, Npy.Array labelArray, int size, List<String> classes)
            throws IOException {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive: " + size);
        }
        if (!images.descr().equals("|u1") && !images.descr().equals("<u1")) {
            throw new IOException(split.key() + "_images must be uint8, found dtype " + images.descr());
        }
        int[] shape = images.shape();
        int channels;
        if (shape.length == 3) {
            channels = 1;
        } else if (shape.length == 4 && (shape[3] == 1 || shape[3] == 3 || shape[3] == 4)) {
            channels = shape[3];
        } else if (shape.length == 4) {
            throw new IOException(split.key() + "_images of shape " + Arrays.toString(shape)
                    + " look like 3D volumes (MedMNIST 3D sets); only 2D sets are supported");
        } else {
            throw new IOException(split.key() + "_images must be (N, H, W) or (N, H, W, C), found " + Arrays.toString(shape));
        }
        int n = shape[0];
        int rows = shape[1];
        int cols = shape[2];
        if (rows <= 0 || cols <= 0) {
            throw new IOException(split.key() + "_images have empty frames: " + Arrays.toString(shape));
        }
        int[] y = labels(labelArray);
        if (y.length != n) {
            throw new IOException(split.key() + ": " + n + " images but " + y.length + " labels");
        }
        for (int i = 0; i < n; i++) {
            if (y[i] >= classes.size()) {
                throw new IOException(split.key() + ": label " + y[i] + " of image " + i + " outside " + classes.size() + " classes");
            }
        }
        byte[] data = images.data();
        int frame = rows * cols;
        int plane = size * size;
        float[] x = new float[Math.multiplyExact(n, plane)];
        String[] patients = new String[n];
        float[] pixels = new float[frame];
        for (int i = 0; i < n; i++) {
            long base = (long) i * frame * channels;
            if (channels == 1) {
                for (int p = 0; p < frame; p++) {
                    pixels[p] = (data[(int) (base + p)] & 0xff) / 255f;
                }
            } else {
                for (int p = 0; p < frame; p++) {
                    int at = (int) (base + (long) p * channels);
                    float r = data[at] & 0xff;
                    float g = data[at + 1] & 0xff;
                    float b = data[at + 2] & 0xff;
                    pixels[p] = (0.299f * r + 0.587f * g + 0.114f * b) / 255f;
                }
            }
            GrayImage resized = ModelInput.square(new GrayImage(rows, cols, pixels.clone()), size);
            float[] out = resized.pixels();
            for (int p = 0; p < plane; p++) {
                // Clamp rounding excursions (e.g. 1.0000001 from luminance weights) into [0, 1].
                x[i * plane + p] = Math.min(1f, Math.max(0f, out[p]));
            }
            patients[i] = patientId(split, i);
        }
        return new LabeledImages(size, x, y, patients, classes);
    }
}
