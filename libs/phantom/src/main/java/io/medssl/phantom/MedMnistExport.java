package io.medssl.phantom;

import io.medssl.dicom.ImageObjectWriter;
import io.medssl.dicom.SecondaryCaptureImage;
import io.medssl.imaging.Npy;
import io.medssl.imaging.Npz;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a <a href="https://medmnist.com">MedMNIST</a> {@code .npz} file (as the {@code medmnist}
 * package downloads it, e.g. {@code pneumoniamnist.npz} or {@code bloodmnist_64.npz}) into a
 * labelled DICOM data set laid out like {@link PhantomWriter}'s: one Secondary Capture file per
 * image and a {@code labels.csv}. MedMNIST thus enters the product the way any study does: sent to
 * ingest-service (which pseudonymises it, so pretext-service cuts SSL shards from it too), and its
 * labels posted to ingest's label endpoint.
 *
 * <p><b>Input.</b> {@code train_images}, {@code val_images}, {@code test_images}: {@code uint8}
 * arrays of shape {@code (N, H, W)} or {@code (N, H, W, C)} with {@code C} = 1, 3 or 4 (colour
 * becomes luminance with PIL's {@code convert("L")} integer BT.601 weights, alpha ignored), the
 * same {@code H, W, C} in every split; {@code train_labels}, {@code val_labels},
 * {@code test_labels}: {@code uint8} or {@code int64}, shape {@code (N, 1)} or {@code (N,)}.
 * Multi-label sets (ChestMNIST, labels {@code (N, 14)}) and the 3D sets ({@code (N, D, H, W)}) are
 * rejected with a clear error. Arrays are read with {@link Npz}; each must fit a Java array (under
 * 2 GiB): fine for the 28/64/128 variants, not for the largest 224-pixel training sets.
 *
 * <p><b>Splits.</b> All three splits are exported together, as one pool. MedMNIST's own
 * train/val/test split is a split of <em>images</em>, not of patients (the files carry no patient
 * identifiers, so it cannot be checked or redone by patient); the product splits every data set
 * itself, by patient pseudonym. Each image becomes a synthetic patient of its own, so for MedMNIST
 * that re-split is a split by image as well: where the source data held several images of one
 * patient, they can land on both sides.
 *
 * <p><b>Images.</b> Image {@code g} is the {@code g}-th (0-based) of the concatenation
 * train, val, test (numpy: {@code np.concatenate([train_images, val_images, test_images])[g]}). With
 * a {@code limit}, at most that many are exported, chosen class-stratified: each class gets a
 * share proportional to its size (largest remainders), but every class present at least one image
 * when the limit allows; a class's images are picked by a shuffle seeded by {@code seed}. Files are written in
 * ascending {@code g} as {@code medmnist-000001.dcm}, {@code medmnist-000002.dcm}, … (file names
 * carry no identifiers).
 *
 * <p><b>Objects.</b> Secondary Capture Image Storage, modality {@value #MODALITY}, 8-bit MONOCHROME2:
 * stored value = the MedMNIST pixel value, VOI window {@value #WINDOW_CENTER}/{@value #WINDOW_WIDTH}
 * (so decoding, e.g. by {@link io.medssl.dicom.PixelDecoder}, gives {@code (v + 0.5) / 256}, within
 * half a grey level of {@code v / 255}), nominal pixel spacing {@value #PIXEL_SPACING_MM} mm
 * (MedMNIST images are resized and have no physical spacing). Image {@code g} is patient
 * {@code MEDMNIST^000123} with ID {@code MM-000123} (for {@code g} = 123), one study of one
 * series, its accession number {@code MM} + 14 hex digits. UIDs ({@code 2.25.} + the decimal value
 * of a name-based UUID) and accession numbers are derived from {@code seed}, a fingerprint of the
 * file's arrays and {@code g}: distinct within an export and, with overwhelming probability, from
 * other seeds' and other data sets'; exporting the same data again with the same seed (any limit)
 * gives an image the same identity, so re-sending it to ingest is idempotent. Note that patient IDs
 * depend on {@code g} only: two different MedMNIST data sets ingested under one dataset name would
 * share patients {@code MM-000000}, ….
 *
 * <p><b>Labels.</b> {@code labels.csv}: {@code StudyInstanceUID,AccessionNumber,label}, one row per
 * file in file order, the label being the class index ({@code "0"} … {@code "K-1"}, K one more than
 * the largest label in any split) or the caller's name for it.
 */
public final class MedMnistExport {
    public static final String LABELS_FILE = PhantomWriter.LABELS_FILE;
    public static final String LABELS_HEADER = PhantomWriter.LABELS_HEADER;
    public static final String MODALITY = "OT";
    public static final double WINDOW_CENTER = 127.5;
    public static final double WINDOW_WIDTH = 256;
    public static final double PIXEL_SPACING_MM = 1.0;
    /** Longest label ingest-service accepts. */
    static final int MAX_CLASS_NAME = 128;
    static final String[] SPLITS = {"train", "val", "test"};
    private static final Pattern OUR_FILES = Pattern.compile("medmnist-[0-9]{6,}\\.dcm");

    /**
     * What {@link #write} wrote.
     *
     * @param files       the DICOM files, in file-name order
     * @param labelsCsv   the labels file
     * @param classCounts exported images per class (label as written in {@code labels.csv}), in
     *                    class order, classes without exported images included with 0
     */
    public record Export(List<Path> files, Path labelsCsv, Map<String, Integer> classCounts) {
        public Export {
            files = List.copyOf(files);
            classCounts = Collections.unmodifiableMap(new LinkedHashMap<>(classCounts));
        }
    }

    /** The images of a file, all splits concatenated, with everything needed to export them. */
    private record Pool(int count, int rows, int cols, int channels, byte[][] images, int[] splitStart, int[] labels,
            String fingerprint) {
        /** Image {@code g}'s 8-bit grayscale pixels. */
        byte[] gray(int g) {
            int split = 0;
            while (split + 1 < splitStart.length && g >= splitStart[split + 1]) {
                split++;
            }
            int frame = rows * cols;
            int base = (g - splitStart[split]) * frame * channels;
            byte[] data = images[split];
            if (channels == 1) {
                return Arrays.copyOfRange(data, base, base + frame);
            }
            byte[] out = new byte[frame];
            for (int p = 0, at = base; p < frame; p++, at += channels) {
                // PIL's convert("L"): ITU-R BT.601 weights in 16-bit fixed point, rounded.
                int r = data[at] & 0xff;
                int gr = data[at + 1] & 0xff;
                int b = data[at + 2] & 0xff;
                out[p] = (byte) ((r * 19595 + gr * 38470 + b * 7471 + 0x8000) >> 16);
            }
            return out;
        }
    }

    private MedMnistExport() {
    }

    /** As {@link #write(Path, Path, int, long, List)} with classes named {@code "0"} … {@code "K-1"}. */
    public static Export write(Path npz, Path dir, int limit, long seed) throws IOException {
        return write(npz, dir, limit, seed, null);
    }

    /**
     * Exports {@code npz} into {@code dir} (created if need be; the {@code medmnist-*.dcm} files and
     * {@code labels.csv} of an earlier export there are replaced).
     *
     * @param limit      at most this many images, chosen class-stratified; 0 for all
     * @param seed       decides the choice under a limit and the UIDs
     * @param classNames names of classes 0 … K-1 (e.g. from the {@code medmnist} INFO dict), or
     *                   {@code null} for {@code "0"} … {@code "K-1"}; every label must be below its size
     * @throws IOException if the file is not a single-label 2D MedMNIST {@code .npz}, or on writing
     */
    public static Export write(Path npz, Path dir, int limit, long seed, List<String> classNames) throws IOException {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0 (0: all images): " + limit);
        }
        List<String> names = classNames == null ? null : checkedNames(classNames);
        Pool pool = read(npz);
        List<String> classes = classes(pool.labels(), names);
        int[] chosen = choose(pool.labels(), classes.size(), limit, seed);
        String description = description(npz);

        Files.createDirectories(dir);
        try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, p -> OUR_FILES.matcher(p.getFileName().toString()).matches())) {
            for (Path p : old) {
                Files.delete(p);
            }
        }
        int[] counts = new int[classes.size()];
        List<Path> files = new ArrayList<>(chosen.length);
        Set<String> used = new HashSet<>();
        StringBuilder csv = new StringBuilder(LABELS_HEADER).append('\n');
        for (int k = 0; k < chosen.length; k++) {
            int g = chosen[k];
            String key = seed + "|" + pool.fingerprint() + "|" + g;
            String studyUid = unique(used, key, "study", ImageObjectWriter::derivedUid);
            String seriesUid = unique(used, key, "series", ImageObjectWriter::derivedUid);
            String sopUid = unique(used, key, "sop", ImageObjectWriter::derivedUid);
            String accession = unique(used, key, "accession", MedMnistExport::accession);
            String number = String.format(Locale.ROOT, "%06d", g);
            SecondaryCaptureImage image = new SecondaryCaptureImage("MEDMNIST^" + number, "MM-" + number, studyUid, seriesUid,
                    sopUid, accession, null, null, description, MODALITY, pool.rows(), pool.cols(), pool.gray(g),
                    PIXEL_SPACING_MM, WINDOW_CENTER, WINDOW_WIDTH);
            Path file = dir.resolve(String.format(Locale.ROOT, "medmnist-%06d.dcm", k + 1));
            ImageObjectWriter.writeSecondaryCapture(image, file);
            files.add(file);
            int label = pool.labels()[g];
            counts[label]++;
            csv.append(studyUid).append(',').append(accession).append(',').append(csvField(classes.get(label))).append('\n');
        }
        Path labels = dir.resolve(LABELS_FILE);
        Files.writeString(labels, csv, StandardCharsets.UTF_8);
        Map<String, Integer> classCounts = new LinkedHashMap<>();
        for (int c = 0; c < classes.size(); c++) {
            classCounts.put(classes.get(c), counts[c]);
        }
        return new Export(files, labels, classCounts);
    }

    /** {@code <npz> <dir> [limit] [seed]}: exports a MedMNIST file, e.g. for a local demo. */
    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length > 4) {
            System.err.println("usage: MedMnistExport <npz> <dir> [limit (0: all)] [seed]");
            System.exit(2);
        }
        int limit = args.length >= 3 ? Integer.parseInt(args[2]) : 0;
        long seed = args.length >= 4 ? Long.parseLong(args[3]) : 0;
        Export export = write(Path.of(args[0]), Path.of(args[1]), limit, seed);
        System.out.println("wrote " + export.files().size() + " DICOM files and " + LABELS_FILE + " to " + args[1]
                + "; images per class: " + export.classCounts());
    }

    // ---- reading

    private static Pool read(Path npz) throws IOException {
        Map<String, Npy.Array> arrays;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(npz), 1 << 16)) {
            arrays = Npz.read(in);
        } catch (IOException e) {
            throw new IOException(npz + ": not a readable .npz: " + e.getMessage(), e);
        }
        MessageDigest digest = sha256();
        byte[][] images = new byte[SPLITS.length][];
        int[] splitStart = new int[SPLITS.length];
        int[][] labels = new int[SPLITS.length][];
        int count = 0;
        int[] frame = null;
        for (int s = 0; s < SPLITS.length; s++) {
            String split = SPLITS[s];
            Npy.Array imageArray = required(npz, arrays, split + "_images");
            int[] shape = imageShape(npz, split, imageArray);
            int[] thisFrame = Arrays.copyOfRange(shape, 1, 4);
            if (frame != null && !Arrays.equals(frame, thisFrame)) {
                throw new IOException(npz + ": " + split + "_images have frames " + Arrays.toString(thisFrame)
                        + " but earlier splits " + Arrays.toString(frame));
            }
            frame = thisFrame;
            labels[s] = labels(npz, split, required(npz, arrays, split + "_labels"));
            if (labels[s].length != shape[0]) {
                throw new IOException(npz + ": " + shape[0] + " " + split + "_images but " + labels[s].length + " labels");
            }
            images[s] = imageArray.data();
            splitStart[s] = count;
            count = Math.addExact(count, shape[0]);
            // The fingerprint covers decoded content, not file bytes: compressed or not, uint8 or
            // int64 labels, the same data gives the same identities.
            digest.update((split + Arrays.toString(shape) + "\n").getBytes(StandardCharsets.US_ASCII));
            digest.update(images[s]);
            ByteBuffer labelBytes = ByteBuffer.allocate(labels[s].length * 4).order(ByteOrder.LITTLE_ENDIAN);
            labelBytes.asIntBuffer().put(labels[s]);
            digest.update(labelBytes.array());
        }
        int[] all = new int[count];
        for (int s = 0; s < SPLITS.length; s++) {
            System.arraycopy(labels[s], 0, all, splitStart[s], labels[s].length);
        }
        String fingerprint = HexFormat.of().formatHex(digest.digest(), 0, 16);
        return new Pool(count, frame[0], frame[1], frame[2], images, splitStart, all, fingerprint);
    }

    private static Npy.Array required(Path npz, Map<String, Npy.Array> arrays, String name) throws IOException {
        Npy.Array array = arrays.get(name);
        if (array == null) {
            throw new IOException(npz + " has no array '" + name + "': not a MedMNIST .npz");
        }
        return array;
    }

    /** (N, H, W, C) of an images array, C = 1 for (N, H, W). */
    private static int[] imageShape(Path npz, String split, Npy.Array images) throws IOException {
        if (!images.descr().equals("|u1") && !images.descr().equals("<u1")) {
            throw new IOException(npz + ": " + split + "_images must be uint8, found dtype " + images.descr());
        }
        int[] shape = images.shape();
        int[] out;
        if (shape.length == 3) {
            out = new int[] {shape[0], shape[1], shape[2], 1};
        } else if (shape.length == 4 && (shape[3] == 1 || shape[3] == 3 || shape[3] == 4)) {
            out = shape.clone();
        } else if (shape.length == 4) {
            throw new IOException(npz + ": " + split + "_images of shape " + Arrays.toString(shape)
                    + " look like 3D volumes (MedMNIST 3D sets); only 2D sets are supported");
        } else {
            throw new IOException(npz + ": " + split + "_images must be (N, H, W) or (N, H, W, C), found " + Arrays.toString(shape));
        }
        if (out[1] <= 0 || out[2] <= 0 || out[1] > 65535 || out[2] > 65535) {
            throw new IOException(npz + ": " + split + "_images have unusable frames: " + Arrays.toString(shape));
        }
        return out;
    }

    /** Labels of shape (N,) or (N, 1), uint8 or int64. */
    private static int[] labels(Path npz, String split, Npy.Array array) throws IOException {
        int[] shape = array.shape();
        if (shape.length == 2 && shape[1] != 1) {
            throw new IOException(npz + ": " + split + "_labels of shape " + Arrays.toString(shape)
                    + " are multi-label (e.g. ChestMNIST); only single-label MedMNIST sets are supported");
        }
        if (shape.length != 1 && shape.length != 2) {
            throw new IOException(npz + ": " + split + "_labels must have shape (N,) or (N, 1), found " + Arrays.toString(shape));
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
                long[] values = array.asLongs();
                for (int i = 0; i < n; i++) {
                    if (values[i] < 0 || values[i] > Integer.MAX_VALUE) {
                        throw new IOException(npz + ": " + split + " label " + values[i] + " at index " + i + " is not a class index");
                    }
                    out[i] = (int) values[i];
                }
            }
            default -> throw new IOException(npz + ": " + split + "_labels must be uint8 or int64, found dtype " + array.descr());
        }
        return out;
    }

    // ---- classes and selection

    private static List<String> checkedNames(List<String> names) {
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (name == null || name.isBlank() || !name.equals(name.strip()) || name.length() > MAX_CLASS_NAME
                    || name.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("class names must be non-blank, without surrounding spaces or control "
                        + "characters and at most " + MAX_CLASS_NAME + " characters: '" + name + "'");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("class name '" + name + "' given twice");
            }
        }
        return List.copyOf(names);
    }

    private static List<String> classes(int[] labels, List<String> names) throws IOException {
        int max = -1;
        for (int label : labels) {
            max = Math.max(max, label);
        }
        if (names != null) {
            if (max >= names.size()) {
                throw new IOException("label " + max + " found but only " + names.size() + " class names given");
            }
            return names;
        }
        List<String> classes = new ArrayList<>();
        for (int c = 0; c <= max; c++) {
            classes.add(Integer.toString(c));
        }
        return classes;
    }

    /**
     * The images to export, ascending: all of them, or {@code limit} chosen class-stratified (see
     * the class comment). Package-private for tests.
     */
    static int[] choose(int[] labels, int classCount, int limit, long seed) {
        int n = labels.length;
        if (limit == 0 || limit >= n) {
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            return all;
        }
        int[][] members = new int[classCount][];
        int[] sizes = new int[classCount];
        for (int label : labels) {
            sizes[label]++;
        }
        for (int c = 0; c < classCount; c++) {
            members[c] = new int[sizes[c]];
        }
        int[] filled = new int[classCount];
        for (int i = 0; i < n; i++) {
            members[labels[i]][filled[labels[i]]++] = i;
        }
        // Shares in proportion to the class sizes, by largest remainders (exact integer arithmetic).
        int[] quota = new int[classCount];
        long[] remainder = new long[classCount];
        int given = 0;
        for (int c = 0; c < classCount; c++) {
            long share = (long) limit * sizes[c];
            quota[c] = (int) (share / n);
            remainder[c] = share % n;
            given += quota[c];
        }
        Integer[] order = new Integer[classCount];
        Arrays.setAll(order, c -> c);
        Arrays.sort(order, (a, b) -> remainder[a] != remainder[b] ? Long.compare(remainder[b], remainder[a]) : Integer.compare(a, b));
        for (int i = 0; given < limit; i++) {
            quota[order[i]]++;
            given++;
        }
        // Then every class present gets at least one image when the limit allows, taken from the
        // class most above its exact share (limit · size / n) among those with two or more.
        int present = 0;
        for (int size : sizes) {
            present += size > 0 ? 1 : 0;
        }
        for (int c = 0; c < classCount && limit >= present; c++) {
            if (sizes[c] == 0 || quota[c] > 0) {
                continue;
            }
            int donor = -1;
            for (int k = 0; k < classCount; k++) {
                if (quota[k] >= 2 && (donor < 0
                        || (long) quota[k] * n - (long) limit * sizes[k] > (long) quota[donor] * n - (long) limit * sizes[donor])) {
                    donor = k;
                }
            }
            quota[donor]--;
            quota[c]++;
        }
        Draws d = new Draws(seed);
        int[] chosen = new int[limit];
        int at = 0;
        for (int c = 0; c < classCount; c++) {
            int[] m = members[c];
            // A partial Fisher–Yates shuffle: the first quota[c] places are a uniform random choice.
            for (int i = 0; i < quota[c]; i++) {
                int j = d.between(i, m.length - 1);
                int t = m[i];
                m[i] = m[j];
                m[j] = t;
                chosen[at++] = m[i];
            }
        }
        Arrays.sort(chosen);
        return chosen;
    }

    // ---- identities and text


    /** {@code MM} + 14 hex digits (56 bits) of SHA-256 of {@code name}: 16 characters, the SH maximum. */
    static String accession(String name) {
        byte[] hash = sha256().digest(name.getBytes(StandardCharsets.UTF_8));
        return "MM" + HexFormat.of().withUpperCase().formatHex(hash, 0, 7);
    }

    private interface Derivation {
        String apply(String name);
    }

    /** Derives from {@code key|kind}; on the (improbable) clash with a value already used, from {@code key|kind|1}, … */
    private static String unique(Set<String> used, String key, String kind, Derivation derive) {
        String name = key + "|" + kind;
        String value = derive.apply(name);
        for (int attempt = 1; !used.add(value); attempt++) {
            value = derive.apply(name + "|" + attempt);
        }
        return value;
    }

    /** {@code MEDMNIST PNEUMONIAMNIST} for {@code pneumoniamnist.npz}: the data set's name, in plain ASCII. */
    static String description(Path npz) {
        String stem = npz.getFileName().toString().replaceFirst("(?i)\\.npz$", "").toUpperCase(Locale.ROOT)
                .replaceAll("[^A-Z0-9_.-]", "_");
        String text = stem.isEmpty() ? "MEDMNIST" : "MEDMNIST " + stem;
        return text.length() > 64 ? text.substring(0, 64) : text;
    }

    /** RFC 4180 quoting where needed. */
    static String csvField(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
