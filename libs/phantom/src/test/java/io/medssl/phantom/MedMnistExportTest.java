package io.medssl.phantom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.medssl.dicom.DicomObject;
import io.medssl.dicom.DicomReader;
import io.medssl.dicom.PixelDecoder;
import io.medssl.imaging.Npy;
import io.medssl.imaging.PixelArray;
import io.medssl.phantom.MedMnistExport.Export;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MedMnistExportTest {
    /** train, val, test: 40 images of 2 classes, 28 × 28, as PneumoniaMNIST's layout. */
    private static final int[] COUNTS = {24, 8, 8};
    private static final String UID = "2\\.25\\.[1-9][0-9]*";

    @TempDir
    Path dir;

    /** Image {@code g} of the concatenation train, val, test as 0..255 luminance values. */
    private static double[] sourceLuminance(Map<String, Npy.Array> arrays, int g) {
        int at = g;
        for (String split : MedMnistNpz.SPLITS) {
            Npy.Array images = arrays.get(split + "_images");
            int n = images.shape()[0];
            if (at < n) {
                int frame = images.shape()[1] * images.shape()[2];
                int channels = images.shape().length == 4 ? images.shape()[3] : 1;
                double[] out = new double[frame];
                for (int p = 0; p < frame; p++) {
                    int base = (at * frame + p) * channels;
                    byte[] d = images.data();
                    out[p] = channels == 1 ? d[base] & 0xff
                            : 0.299 * (d[base] & 0xff) + 0.587 * (d[base + 1] & 0xff) + 0.114 * (d[base + 2] & 0xff);
                }
                return out;
            }
            at -= n;
        }
        throw new IndexOutOfBoundsException(g);
    }

    /** Labels of the concatenation train, val, test (uint8 arrays). */
    private static int[] sourceLabels(Map<String, Npy.Array> arrays) {
        return Arrays.stream(MedMnistNpz.SPLITS).flatMapToInt(s -> {
            byte[] d = arrays.get(s + "_labels").data();
            return IntStream.range(0, d.length).map(i -> d[i] & 0xff);
        }).toArray();
    }

    /** labels.csv rows without the header, as [StudyInstanceUID, AccessionNumber, label]. */
    private static List<String[]> rows(Export export) throws IOException {
        List<String> lines = Files.readAllLines(export.labelsCsv(), StandardCharsets.UTF_8);
        assertThat(lines.get(0)).isEqualTo("StudyInstanceUID,AccessionNumber,label");
        return lines.subList(1, lines.size()).stream().map(l -> l.split(",", 3)).toList();
    }

    /** The source index g of an exported file, from its patient ID MM-000123. */
    private static int sourceIndex(DicomObject object) {
        assertThat(object.patientId()).matches("MM-[0-9]{6}");
        int g = Integer.parseInt(object.patientId().substring(3));
        assertThat(object.patientName()).isEqualTo(String.format("MEDMNIST^%06d", g));
        return g;
    }

    /** Every file reads back with the identity labels.csv names and the source pixels / 255; returns the source indices. */
    private static List<Integer> checkFiles(Export export, Map<String, Npy.Array> arrays, List<String> classes, double tolerance)
            throws Exception {
        List<String[]> rows = rows(export);
        assertThat(rows).hasSameSizeAs(export.files());
        int[] labels = sourceLabels(arrays);
        Set<String> uids = new HashSet<>();
        Set<String> accessions = new HashSet<>();
        List<Integer> indices = new ArrayList<>();
        for (int k = 0; k < export.files().size(); k++) {
            Path file = export.files().get(k);
            assertThat(file.getFileName()).hasToString(String.format("medmnist-%06d.dcm", k + 1));
            assertThat(file.getParent()).isEqualTo(export.labelsCsv().getParent());
            DicomObject back = DicomReader.read(file);
            int g = sourceIndex(back);
            indices.add(g);
            assertThat(back.studyInstanceUid()).isEqualTo(rows.get(k)[0]);
            assertThat(back.accessionNumber()).isEqualTo(rows.get(k)[1]).matches("MM[0-9A-F]{14}");
            assertThat(rows.get(k)[2]).as("label of image %d", g).isEqualTo(classes.get(labels[g]));
            assertThat(back.sopClassUid()).isEqualTo("1.2.840.10008.5.1.4.1.1.7");
            assertThat(back.modality()).isEqualTo("OT");
            assertThat(back.rows()).isEqualTo(28);
            assertThat(back.columns()).isEqualTo(28);
            for (String uid : List.of(back.studyInstanceUid(), back.seriesInstanceUid(), back.sopInstanceUid())) {
                assertThat(uid).matches(UID).hasSizeLessThanOrEqualTo(64);
                assertThat(uids.add(uid)).as("distinct UID %s", uid).isTrue();
            }
            assertThat(accessions.add(back.accessionNumber())).isTrue();

            PixelArray decoded = PixelDecoder.decode(back);
            double[] expected = sourceLuminance(arrays, g);
            assertThat(decoded.frames()).isEqualTo(1);
            assertThat(decoded.data()).hasSize(expected.length);
            for (int p = 0; p < expected.length; p++) {
                assertThat((double) decoded.data()[p]).as("image %d pixel %d", g, p).isCloseTo(expected[p] / 255, within(tolerance));
            }
        }
        assertThat(indices).as("files in ascending source order").isSorted().doesNotHaveDuplicates();
        return indices;
    }

    @Test
    void exportsEveryImageOfEverySplitWithItsLabel() throws Exception {
        Map<String, Npy.Array> arrays = MedMnistNpz.synthetic(2, 28, COUNTS, 1, 7);
        Path npz = MedMnistNpz.write(dir.resolve("pneumoniamnist.npz"), arrays);

        Export export = MedMnistExport.write(npz, dir.resolve("out"), 0, 11);

        assertThat(export.files()).hasSize(40).allSatisfy(f -> assertThat(f).isRegularFile());
        assertThat(export.labelsCsv()).isEqualTo(dir.resolve("out").resolve("labels.csv"));
        assertThat(export.classCounts()).containsExactly(Map.entry("0", 20), Map.entry("1", 20));
        assertThat(rows(export)).hasSize(40).extracting(r -> r[2]).containsOnly("0", "1");
        // Stored value v decodes to (v + 0.5) / 256: within half a grey level of v / 255.
        List<Integer> indices = checkFiles(export, arrays, List.of("0", "1"), 0.5 / 255 + 1e-6);
        assertThat(indices).containsExactlyElementsOf(IntStream.range(0, 40).boxed().toList());
        try (var listing = Files.list(dir.resolve("out"))) {
            assertThat(listing.map(p -> p.getFileName().toString()).filter(n -> !n.equals("labels.csv")))
                    .allMatch(n -> n.matches("medmnist-[0-9]{6}\\.dcm")).hasSize(40);
        }
        DicomObject first = DicomReader.read(export.files().get(0));
        assertThat(first.patientId()).isEqualTo("MM-000000");
        assertThat(DicomReader.read(export.files().get(39)).patientId()).as("the last test image").isEqualTo("MM-000039");
    }

    @Test
    void identitiesFollowSeedAndDataAndSurviveALimit() throws Exception {
        Map<String, Npy.Array> arrays = MedMnistNpz.synthetic(2, 28, COUNTS, 1, 7);
        Path npz = MedMnistNpz.write(dir.resolve("m.npz"), arrays);
        Export a = MedMnistExport.write(npz, dir.resolve("a"), 0, 11);
        Export again = MedMnistExport.write(npz, dir.resolve("again"), 0, 11);
        Export other = MedMnistExport.write(npz, dir.resolve("other"), 0, 12);
        Export limited = MedMnistExport.write(npz, dir.resolve("limited"), 10, 11);
        Path otherData = MedMnistNpz.write(dir.resolve("n.npz"), MedMnistNpz.synthetic(2, 28, COUNTS, 1, 8));
        Export otherDataSet = MedMnistExport.write(otherData, dir.resolve("otherData"), 0, 11);

        assertThat(Files.readString(again.labelsCsv())).isEqualTo(Files.readString(a.labelsCsv()));
        Set<String> studies = new HashSet<>(rows(a).stream().map(r -> r[0]).toList());
        assertThat(rows(other)).extracting(r -> r[0]).doesNotContainAnyElementsOf(studies);
        assertThat(rows(otherDataSet)).extracting(r -> r[0]).doesNotContainAnyElementsOf(studies);
        // Same seed, same data: a chosen image keeps the identity it has in the full export.
        List<String> full = rows(a).stream().map(r -> String.join(",", r)).toList();
        assertThat(rows(limited)).hasSize(10).extracting(r -> String.join(",", r)).isSubsetOf(full);
        for (Path f : limited.files()) {
            DicomObject back = DicomReader.read(f);
            DicomObject same = DicomReader.read(a.files().get(sourceIndex(back)));
            assertThat(back.sopInstanceUid()).isEqualTo(same.sopInstanceUid());
            assertThat(back.seriesInstanceUid()).isEqualTo(same.seriesInstanceUid());
        }
    }

    @Test
    void aLimitChoosesClassStratifiedBySeed() throws Exception {
        Map<String, Npy.Array> arrays = MedMnistNpz.synthetic(2, 28, COUNTS, 1, 7);
        // 30 of class 0, 10 of class 1, the rare class spread over the splits.
        byte[] train = arrays.get("train_labels").data();
        for (int i = 0; i < train.length; i++) {
            train[i] = (byte) (i % 4 == 3 ? 1 : 0);
        }
        for (String split : List.of("val", "test")) {
            byte[] labels = arrays.get(split + "_labels").data();
            for (int i = 0; i < labels.length; i++) {
                labels[i] = (byte) (i % 4 == 0 ? 1 : 0);
            }
        }
        Path npz = MedMnistNpz.write(dir.resolve("m.npz"), arrays);

        Export eight = MedMnistExport.write(npz, dir.resolve("eight"), 8, 5);
        assertThat(eight.files()).hasSize(8);
        assertThat(eight.classCounts()).containsExactly(Map.entry("0", 6), Map.entry("1", 2));
        List<Integer> chosen = checkFiles(eight, arrays, List.of("0", "1"), 0.5 / 255 + 1e-6);
        assertThat(rows(eight)).extracting(r -> r[2]).containsExactlyInAnyOrder("0", "0", "0", "0", "0", "0", "1", "1");

        assertThat(MedMnistExport.write(npz, dir.resolve("eight"), 8, 5).files()).as("same seed, same choice")
                .hasSize(8);
        assertThat(rows(MedMnistExport.write(npz, dir.resolve("again"), 8, 5))).extracting(r -> r[0])
                .containsExactlyElementsOf(rows(eight).stream().map(r -> r[0]).toList());
        List<List<Integer>> others = new ArrayList<>();
        for (long seed = 6; seed < 10; seed++) {
            Export e = MedMnistExport.write(npz, dir.resolve("seed" + seed), 8, seed);
            assertThat(e.classCounts()).containsExactly(Map.entry("0", 6), Map.entry("1", 2));
            others.add(e.files().stream().map(f -> sourceIndex(read(f))).toList());
        }
        assertThat(others).as("other seeds choose other images").anySatisfy(o -> assertThat(o).isNotEqualTo(chosen));

        // Re-exporting into a directory replaces the earlier export's files.
        Export three = MedMnistExport.write(npz, dir.resolve("eight"), 3, 5);
        assertThat(three.classCounts()).as("one of each class, the third by proportion").containsExactly(Map.entry("0", 2),
                Map.entry("1", 1));
        try (var listing = Files.list(dir.resolve("eight"))) {
            assertThat(listing).hasSize(4);
        }
        assertThat(MedMnistExport.write(npz, dir.resolve("one"), 1, 5).classCounts()).containsExactly(Map.entry("0", 1),
                Map.entry("1", 0));
        assertThat(MedMnistExport.write(npz, dir.resolve("all"), 1000, 5).files()).hasSize(40);
        assertThat(MedMnistExport.write(npz, dir.resolve("twenty"), 20, 5).classCounts()).containsExactly(Map.entry("0", 15),
                Map.entry("1", 5));
        assertThatThrownBy(() -> MedMnistExport.write(npz, dir.resolve("x"), -1, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stratifiedChoiceKeepsProportionsAndEveryClass() {
        int[] labels = new int[100];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i < 70 ? 0 : i < 97 ? 2 : 3; // class 1 absent, class 3 rare
        }
        int[] chosen = MedMnistExport.choose(labels, 4, 10, 1);
        int[] counts = new int[4];
        for (int g : chosen) {
            counts[labels[g]]++;
        }
        assertThat(chosen).hasSize(10).isSorted().doesNotHaveDuplicates();
        assertThat(counts).containsExactly(7, 0, 2, 1);
        assertThat(MedMnistExport.choose(labels, 4, 0, 1)).hasSize(100);
        assertThat(MedMnistExport.choose(labels, 4, 99, 1)).hasSize(99).doesNotHaveDuplicates();
    }

    @Test
    void colourImagesBecomeLuminanceAndClassesCanBeNamed() throws Exception {
        Map<String, Npy.Array> arrays = MedMnistNpz.synthetic(2, 28, COUNTS, 3, 9);
        byte[] rgb = arrays.get("train_images").data();
        // Image 0, pixel (0, 0): pure red; pixel (0, 1): white.
        rgb[0] = (byte) 255;
        rgb[1] = 0;
        rgb[2] = 0;
        Arrays.fill(rgb, 3, 6, (byte) 255);
        Path npz = MedMnistNpz.write(dir.resolve("bloodmnist.npz"), arrays);
        List<String> names = List.of("normal", "pneumonia, bacterial \"or\" viral");

        Export export = MedMnistExport.write(npz, dir.resolve("out"), 0, 3, names);

        assertThat(export.files()).hasSize(40);
        assertThat(export.classCounts()).containsExactly(Map.entry("normal", 20), Map.entry(names.get(1), 20));
        List<String> lines = Files.readAllLines(export.labelsCsv());
        assertThat(lines.subList(1, lines.size())).allMatch(l -> l.endsWith(",normal") || l.endsWith(",\"pneumonia, bacterial \"\"or\"\" viral\""));
        // checkFiles splits a row into 3 fields: the quoted label is the third as written.
        List<String> asWritten = List.of("normal", "\"pneumonia, bacterial \"\"or\"\" viral\"");
        // Integer luminance, then (v + 0.5) / 256: within a grey level of the exact luminance / 255.
        checkFiles(export, arrays, asWritten, 1.0 / 255);
        PixelArray first = PixelDecoder.decode(DicomReader.read(export.files().get(0)));
        assertThat((double) first.data()[0]).isCloseTo((76 + 0.5) / 256, within(1e-6)); // round(0.299 · 255) = 76
        assertThat((double) first.data()[1]).isCloseTo((255 + 0.5) / 256, within(1e-6));
        assertThat(DicomReader.read(export.files().get(0)).photometricInterpretation()).isEqualTo("MONOCHROME2");
    }

    @Test
    void int64LabelsAndTooFewClassNames() throws Exception {
        Map<String, Npy.Array> arrays = MedMnistNpz.synthetic(2, 28, new int[] {6, 2, 2}, 1, 5);
        arrays.put("train_labels", MedMnistNpz.int64(new long[] {0, 1, 2, 2, 1, 0}, 6));
        Path npz = MedMnistNpz.write(dir.resolve("m.npz"), arrays);

        Export export = MedMnistExport.write(npz, dir.resolve("out"), 0, 1);
        assertThat(export.classCounts().keySet()).as("K from the largest label of any split").containsExactly("0", "1", "2");
        assertThat(export.classCounts().get("2")).isEqualTo(2);
        Export named = MedMnistExport.write(npz, dir.resolve("named"), 0, 1, List.of("a", "b", "c", "d"));
        assertThat(named.classCounts()).containsEntry("d", 0).hasSize(4);

        assertThatThrownBy(() -> MedMnistExport.write(npz, dir.resolve("x"), 0, 1, List.of("a", "b")))
                .isInstanceOf(IOException.class).hasMessageContaining("label 2").hasMessageContaining("2 class names");
        assertThatThrownBy(() -> MedMnistExport.write(npz, dir.resolve("x"), 0, 1, List.of("a", "a", "b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> MedMnistExport.write(npz, dir.resolve("x"), 0, 1, List.of("a", " b", "c")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void unsupportedFilesAreClearErrors() throws IOException {
        Map<String, Npy.Array> multiLabel = MedMnistNpz.synthetic(2, 8, new int[] {2, 2, 2}, 1, 1);
        multiLabel.put("train_labels", MedMnistNpz.uint8(new byte[2 * 14], 2, 14));
        Path chest = MedMnistNpz.write(dir.resolve("chestmnist.npz"), multiLabel);
        assertThatThrownBy(() -> MedMnistExport.write(chest, dir.resolve("x"), 0, 1)).hasMessageContaining("multi-label");

        Map<String, Npy.Array> volumes = MedMnistNpz.synthetic(2, 8, new int[] {2, 2, 2}, 1, 1);
        volumes.put("train_images", MedMnistNpz.uint8(new byte[2 * 8 * 8 * 8], 2, 8, 8, 8));
        Path organ3d = MedMnistNpz.write(dir.resolve("organmnist3d.npz"), volumes);
        assertThatThrownBy(() -> MedMnistExport.write(organ3d, dir.resolve("x"), 0, 1)).hasMessageContaining("3D");

        Map<String, Npy.Array> mixed = MedMnistNpz.synthetic(2, 8, new int[] {2, 2, 2}, 1, 1);
        mixed.put("test_images", MedMnistNpz.uint8(new byte[2 * 9 * 9], 2, 9, 9));
        Path sizes = MedMnistNpz.write(dir.resolve("mixed.npz"), mixed);
        assertThatThrownBy(() -> MedMnistExport.write(sizes, dir.resolve("x"), 0, 1)).hasMessageContaining("test_images");

        Map<String, Npy.Array> missing = new LinkedHashMap<>(MedMnistNpz.synthetic(2, 8, new int[] {2, 2, 2}, 1, 1));
        missing.remove("val_images");
        Path partial = MedMnistNpz.write(dir.resolve("partial.npz"), missing);
        assertThatThrownBy(() -> MedMnistExport.write(partial, dir.resolve("x"), 0, 1)).hasMessageContaining("val_images");

        Path notZip = Files.writeString(dir.resolve("x.npz"), "not a zip");
        assertThatThrownBy(() -> MedMnistExport.write(notZip, dir.resolve("x"), 0, 1)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a readable .npz");
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void mainWritesADataSet() throws Exception {
        Path npz = MedMnistNpz.write(dir.resolve("m.npz"), MedMnistNpz.synthetic(2, 28, COUNTS, 1, 7));
        MedMnistExport.main(new String[] {npz.toString(), dir.resolve("out").toString(), "6", "3"});
        try (var listing = Files.list(dir.resolve("out"))) {
            assertThat(listing.map(p -> p.getFileName().toString()).sorted()).containsExactly("labels.csv", "medmnist-000001.dcm",
                    "medmnist-000002.dcm", "medmnist-000003.dcm", "medmnist-000004.dcm", "medmnist-000005.dcm",
                    "medmnist-000006.dcm");
        }
        assertThat(Files.readAllLines(dir.resolve("out").resolve("labels.csv"))).hasSize(7);
    }

    @Test
    void dcmtkReadsTheFiles() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dcmdump")), "dcmtk not installed");
        Path npz = MedMnistNpz.write(dir.resolve("pneumoniamnist.npz"), MedMnistNpz.synthetic(2, 28, COUNTS, 1, 7));
        Export export = MedMnistExport.write(npz, dir.resolve("out"), 4, 2);
        for (Path file : export.files()) {
            String dump = run("dcmdump", "-E", file.toString());
            assertThat(dump).contains("=SecondaryCaptureImageStorage").contains("=LittleEndianExplicit").contains("MEDMNIST^")
                    .contains("MEDMNIST PNEUMONIAMNIST").contains("MONOCHROME2").doesNotContain("E: ");
        }
    }

    @Test
    void numpyLoadsTheHelpersFile() throws Exception {
        assumeTrue(numpyAvailable(), "python3 with numpy not installed");
        Map<String, Npy.Array> arrays = MedMnistNpz.synthetic(2, 28, COUNTS, 1, 17);
        Path file = MedMnistNpz.write(dir.resolve("m.npz"), arrays);
        String script = String.join("\n",
                "import sys, numpy as np",
                "d = np.load(sys.argv[1])",
                "for k in sorted(d.files):",
                "    a = d[k]",
                "    print(k, a.dtype, tuple(a.shape), int(a.astype(np.int64).sum()), int(a.reshape(-1)[-1]))");
        String out = python(script, file.toString());
        StringBuilder expected = new StringBuilder();
        for (String name : arrays.keySet().stream().sorted().toList()) {
            Npy.Array a = arrays.get(name);
            long sum = 0;
            for (byte b : a.data()) {
                sum += b & 0xff;
            }
            String shape = Arrays.stream(a.shape()).mapToObj(Integer::toString).reduce((x, y) -> x + ", " + y).orElse("");
            expected.append(name).append(" uint8 (").append(shape).append(a.shape().length == 1 ? ",)" : ")")
                    .append(' ').append(sum).append(' ').append(a.data()[a.data().length - 1] & 0xff).append('\n');
        }
        assertThat(out).isEqualTo(expected.toString());
    }

    @Test
    void filesThatNumpyWroteExportTheSame() throws Exception {
        assumeTrue(numpyAvailable(), "python3 with numpy not installed");
        Map<String, Npy.Array> arrays = MedMnistNpz.synthetic(2, 28, COUNTS, 1, 19);
        Path ours = MedMnistNpz.write(dir.resolve("ours.npz"), arrays);
        Path compressed = dir.resolve("compressed.npz");
        Path plain = dir.resolve("plain.npz");
        // numpy's writers (zip64 headers), and int64 labels of shape (N,) as some conversions produce.
        python(String.join("\n",
                "import sys, numpy as np",
                "d = dict(np.load(sys.argv[1]))",
                "np.savez_compressed(sys.argv[2], **d)",
                "d = {k: (v.reshape(-1).astype(np.int64) if k.endswith('_labels') else v) for k, v in d.items()}",
                "np.savez(sys.argv[3], **d)"), ours.toString(), compressed.toString(), plain.toString());

        Export expected = MedMnistExport.write(ours, dir.resolve("ours"), 0, 4);
        for (Path file : List.of(compressed, plain)) {
            Export actual = MedMnistExport.write(file, dir.resolve(file.getFileName() + ".out"), 0, 4);
            assertThat(Files.readString(actual.labelsCsv())).as(file.toString()).isEqualTo(Files.readString(expected.labelsCsv()));
            for (int k = 0; k < expected.files().size(); k += 13) {
                assertThat(PixelDecoder.decode(DicomReader.read(actual.files().get(k))).data())
                        .containsExactly(PixelDecoder.decode(DicomReader.read(expected.files().get(k))).data());
            }
        }
    }

    private static DicomObject read(Path file) {
        try {
            return DicomReader.read(file);
        } catch (Exception e) {
            throw new AssertionError(file + ": " + e.getMessage(), e);
        }
    }

    private static boolean numpyAvailable() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String python(String script, String... args) throws Exception {
        String[] command = new String[3 + args.length];
        command[0] = "python3";
        command[1] = "-c";
        command[2] = script;
        System.arraycopy(args, 0, command, 3, args.length);
        return run(command);
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
        assertThat(p.exitValue()).as("%s failed:\n%s", command[0], out).isZero();
        return out;
    }
}
