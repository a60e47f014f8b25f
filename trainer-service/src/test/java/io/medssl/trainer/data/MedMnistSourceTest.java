package io.medssl.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.medssl.imaging.GrayImage;
import io.medssl.imaging.ModelInput;
import io.medssl.imaging.Npy;
import io.medssl.imaging.Npz;
import io.medssl.trainer.data.MedMnistSource.Split;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MedMnistSourceTest {
    private static final int[] COUNTS = {24, 8, 8};

    @TempDir
    Path dir;

    @Test
    void readsEverySplitResizedTo64() throws IOException {
        Map<String, Npy.Array> arrays = MedMnistNpz.synthetic(2, 28, COUNTS, 1, 7);
        Path file = MedMnistNpz.write(dir.resolve("pneumoniamnist.npz"), arrays);

        Map<Split, LabeledImages> all = new MedMnistSource(file, 64).readAll();

        assertThat(all).containsOnlyKeys(Split.TRAIN, Split.VAL, Split.TEST);
        for (Split split : Split.values()) {
            LabeledImages images = all.get(split);
            int n = COUNTS[split.ordinal()];
            assertThat(images.count()).isEqualTo(n);
            assertThat(images.size()).isEqualTo(64);
            assertThat(images.x()).hasSize(n * 64 * 64);
            assertThat(images.classes()).containsExactly("0", "1");
            assertThat(images.y()).containsExactly(labels(arrays.get(split.key() + "_labels")));
            assertThat(images.y()).contains(0, 1);
            assertThat(images.patients()[0]).isEqualTo("medmnist-" + split.key() + "-000000");
            assertThat(images.patients()[n - 1]).isEqualTo(String.format("medmnist-%s-%06d", split.key(), n - 1));
            assertThat(images.patients()).doesNotHaveDuplicates();
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (float v : images.x()) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertThat(min).isGreaterThanOrEqualTo(0f);
            assertThat(max).isLessThanOrEqualTo(1f);
            assertThat(max - min).as("images are not flat").isGreaterThan(0.5f);
        }
        // The resize is the product's own preprocessing, image by image.
        byte[] raw = arrays.get("train_images").data();
        for (int i : new int[] {0, 5, 23}) {
            float[] pixels = new float[28 * 28];
            for (int p = 0; p < pixels.length; p++) {
                pixels[p] = (raw[i * 28 * 28 + p] & 0xff) / 255f;
            }
            float[] expected = ModelInput.square(new GrayImage(28, 28, pixels), 64).pixels();
            assertThat(Arrays.copyOfRange(all.get(Split.TRAIN).x(), i * 64 * 64, (i + 1) * 64 * 64)).containsExactly(expected);
        }
        // A single split reads the same as readAll.
        LabeledImages test = new MedMnistSource(file, 64).read(Split.TEST);
        assertThat(test.x()).containsExactly(all.get(Split.TEST).x());
        assertThat(test.y()).containsExactly(all.get(Split.TEST).y());
    }

    @Test
    void nativeSizeKeepsPixelsExactlyAndImagesStayWithTheirLabels() throws IOException {
        Map<String, Npy.Array> arrays = MedMnistNpz.synthetic(2, 28, COUNTS, 1, 11);
        Path file = MedMnistNpz.write(dir.resolve("m.npz"), arrays);

        LabeledImages train = new MedMnistSource(file, 28).read(Split.TRAIN);

        byte[] raw = arrays.get("train_images").data();
        for (int p = 0; p < raw.length; p++) {
            assertThat(train.x()[p]).isEqualTo((raw[p] & 0xff) / 255f);
        }
        // Class 0 has horizontal stripes (varies down the columns), class 1 vertical ones.
        for (int i = 0; i < train.count(); i++) {
            double alongRows = 0;
            double alongCols = 0;
            int base = i * 28 * 28;
            for (int r = 0; r < 27; r++) {
                for (int c = 0; c < 27; c++) {
                    float v = train.x()[base + r * 28 + c];
                    alongRows += Math.abs(train.x()[base + r * 28 + c + 1] - v);
                    alongCols += Math.abs(train.x()[base + (r + 1) * 28 + c] - v);
                }
            }
            assertThat(train.y()[i] == 0 ? alongCols > 2 * alongRows : alongRows > 2 * alongCols)
                    .as("image %d of class %d keeps its pattern", i, train.y()[i]).isTrue();
        }
    }

    @Test
    void colourImagesBecomeLuminance() throws IOException {
        Map<String, Npy.Array> arrays = MedMnistNpz.synthetic(3, 8, new int[] {3, 3, 3}, 3, 3);
        byte[] rgb = arrays.get("train_images").data();
        // Pixel (0, 0) of image 0: pure red; pixel (0, 1): white.
        rgb[0] = (byte) 255;
        rgb[1] = 0;
        rgb[2] = 0;
        rgb[3] = (byte) 255;
        rgb[4] = (byte) 255;
        rgb[5] = (byte) 255;
        Path file = MedMnistNpz.write(dir.resolve("bloodmnist.npz"), arrays);

        LabeledImages train = new MedMnistSource(file, 8).read(Split.TRAIN);

        assertThat(train.x()).hasSize(3 * 64);
        assertThat(train.x()[0]).isCloseTo(0.299f, within(1e-6f));
        assertThat(train.x()[1]).isCloseTo(1f, within(1e-6f)).isLessThanOrEqualTo(1f);
        int p = 9;
        float expected = (0.299f * (rgb[3 * p] & 0xff) + 0.587f * (rgb[3 * p + 1] & 0xff) + 0.114f * (rgb[3 * p + 2] & 0xff)) / 255f;
        assertThat(train.x()[p]).isCloseTo(expected, within(1e-6f));
        assertThat(train.classes()).containsExactly("0", "1", "2");
    }

    @Test
    void int64LabelsClassNamesAndClassesSharedAcrossSplits() throws IOException {
        Map<String, Npy.Array> arrays = MedMnistNpz.synthetic(2, 16, new int[] {6, 2, 2}, 1, 5);
        arrays.put("train_labels", MedMnistNpz.int64(new long[] {0, 1, 2, 2, 1, 0}, 6));
        arrays.put("test_labels", MedMnistNpz.uint8(new byte[] {0, 0}, 2, 1));
        Path file = MedMnistNpz.write(dir.resolve("m.npz"), arrays);

        LabeledImages test = new MedMnistSource(file, 32).read(Split.TEST);
        assertThat(test.classes()).as("the largest label of any split counts").containsExactly("0", "1", "2");
        assertThat(test.y()).containsExactly(0, 0);
        LabeledImages train = new MedMnistSource(file, 32, List.of("normal", "benign", "malignant")).read(Split.TRAIN);
        assertThat(train.classes()).containsExactly("normal", "benign", "malignant");
        assertThat(train.y()).containsExactly(0, 1, 2, 2, 1, 0);

        assertThatThrownBy(() -> new MedMnistSource(file, 32, List.of("a", "b")).read(Split.VAL))
                .isInstanceOf(IOException.class).hasMessageContaining("label 2").hasMessageContaining("2 class names");
    }

    @Test
    void decodedArraysConvertLikeTheFile() throws IOException {
        Map<String, Npy.Array> arrays = MedMnistNpz.synthetic(2, 28, COUNTS, 1, 13);
        Path file = MedMnistNpz.write(dir.resolve("m.npz"), arrays);
        Map<String, Npy.Array> decoded;
        try (InputStream in = Files.newInputStream(file)) {
            decoded = Npz.read(in);
        }
        Map<Split, LabeledImages> fromArrays = MedMnistSource.convert(decoded, 64, null);
        Map<Split, LabeledImages> fromFile = new MedMnistSource(file, 64).readAll();
        for (Split split : Split.values()) {
            assertThat(fromArrays.get(split).x()).containsExactly(fromFile.get(split).x());
            assertThat(fromArrays.get(split).y()).containsExactly(fromFile.get(split).y());
            assertThat(fromArrays.get(split).patients()).containsExactly(fromFile.get(split).patients());
        }
    }

    @Test
    void unsupportedFilesAreClearErrors() throws IOException {
        Map<String, Npy.Array> multiLabel = MedMnistNpz.synthetic(2, 8, new int[] {2, 2, 2}, 1, 1);
        multiLabel.put("train_labels", MedMnistNpz.uint8(new byte[2 * 14], 2, 14));
        Path chest = MedMnistNpz.write(dir.resolve("chestmnist.npz"), multiLabel);
        assertThatThrownBy(() -> new MedMnistSource(chest, 28).read(Split.TRAIN)).hasMessageContaining("multi-label");

        Map<String, Npy.Array> volumes = MedMnistNpz.synthetic(2, 8, new int[] {2, 2, 2}, 1, 1);
        volumes.put("train_images", MedMnistNpz.uint8(new byte[2 * 8 * 8 * 8], 2, 8, 8, 8));
        Path organ3d = MedMnistNpz.write(dir.resolve("organmnist3d.npz"), volumes);
        assertThatThrownBy(() -> new MedMnistSource(organ3d, 28).read(Split.TRAIN)).hasMessageContaining("3D");

        Map<String, Npy.Array> missing = new LinkedHashMap<>(MedMnistNpz.synthetic(2, 8, new int[] {2, 2, 2}, 1, 1));
        missing.remove("val_images");
        Path partial = MedMnistNpz.write(dir.resolve("partial.npz"), missing);
        assertThatThrownBy(() -> new MedMnistSource(partial, 28).read(Split.VAL)).hasMessageContaining("val_images");
        assertThat(new MedMnistSource(partial, 28).read(Split.TRAIN).count()).isEqualTo(2);

        Path notZip = Files.writeString(dir.resolve("x.npz"), "not a zip");
        assertThatThrownBy(() -> new MedMnistSource(notZip, 28).read(Split.TRAIN)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a .npz");
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
    void readsFilesThatNumpyWrote() throws Exception {
        assumeTrue(numpyAvailable(), "python3 with numpy not installed");
        Map<String, Npy.Array> arrays = MedMnistNpz.synthetic(3, 28, COUNTS, 1, 19);
        Path ours = MedMnistNpz.write(dir.resolve("ours.npz"), arrays);
        Path compressed = dir.resolve("compressed.npz");
        Path plain = dir.resolve("plain.npz");
        // numpy's writer (zip64 headers, int64 labels of shape (N,) as some conversions produce).
        python(String.join("\n",
                "import sys, numpy as np",
                "d = dict(np.load(sys.argv[1]))",
                "np.savez_compressed(sys.argv[2], **d)",
                "d = {k: (v.reshape(-1).astype(np.int64) if k.endswith('_labels') else v) for k, v in d.items()}",
                "np.savez(sys.argv[3], **d)"), ours.toString(), compressed.toString(), plain.toString());

        Map<Split, LabeledImages> expected = new MedMnistSource(ours, 64).readAll();
        for (Path file : List.of(compressed, plain)) {
            Map<Split, LabeledImages> actual = new MedMnistSource(file, 64).readAll();
            for (Split split : Split.values()) {
                assertThat(actual.get(split).x()).as(file + " " + split).containsExactly(expected.get(split).x());
                assertThat(actual.get(split).y()).as(file + " " + split).containsExactly(expected.get(split).y());
                assertThat(actual.get(split).classes()).containsExactly("0", "1", "2");
            }
            // The streaming reader (Npz.read over ZipInputStream) copes with numpy's zip64 entries too.
            Map<String, Npy.Array> decoded;
            try (InputStream in = Files.newInputStream(file)) {
                decoded = Npz.read(in);
            }
            Map<Split, LabeledImages> streamed = MedMnistSource.convert(decoded, 64, null);
            for (Split split : Split.values()) {
                assertThat(streamed.get(split).x()).as(file + " " + split).containsExactly(expected.get(split).x());
                assertThat(streamed.get(split).y()).as(file + " " + split).containsExactly(expected.get(split).y());
            }
        }
    }

    private static int[] labels(Npy.Array array) {
        int[] out = new int[array.data().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.data()[i] & 0xff;
        }
        return out;
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
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("python finished").isTrue();
        assertThat(p.exitValue()).as("python failed:\n" + out).isZero();
        return out;
    }
}
