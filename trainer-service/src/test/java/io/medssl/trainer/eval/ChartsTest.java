package io.medssl.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path dir;

    /** Set -Dcharts.preview=/some/dir to keep the images for a look. */
    private Path out(String name) throws IOException {
        String preview = System.getProperty("charts.preview");
        if (preview != null && !preview.isBlank()) {
            return Files.createDirectories(Path.of(preview)).resolve(name);
        }
        return dir.resolve("sub").resolve(name);
    }

    @Test
    void rocCurvesPerClassWithChanceDiagonal() throws IOException {
        Random random = new Random(1);
        int n = 300;
        List<String> classes = List.of("normal", "benign", "malignant", "absent");
        float[][] probs = new float[n][4];
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            truth[i] = i % 3;
            float sum = 0;
            for (int c = 0; c < 4; c++) {
                probs[i][c] = (float) Math.exp(random.nextGaussian() + (c == truth[i] ? 1.0 + 0.5 * c : 0));
                sum += probs[i][c];
            }
            for (int c = 0; c < 4; c++) {
                probs[i][c] /= sum;
            }
        }
        List<ClassificationMetrics.RocCurve> curves = ClassificationMetrics.rocCurves(probs, truth, classes);
        Path png = out("roc.png");

        Charts.rocCurves(curves, "ROC — test set", png);

        BufferedImage image = readPng(png, Charts.ROC_WIDTH, Charts.ROC_HEIGHT);
        assertDrawn(image);
        assertThat(containsColour(image, Charts.color(0))).isTrue();
        assertThat(containsColour(image, Charts.color(1))).isTrue();
        assertThat(containsColour(image, Charts.color(2))).isTrue();
    }

    @Test
    void trainingCurvesSkipNonFiniteValues() throws IOException {
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        List<double[]> loss = new ArrayList<>();
        List<double[]> rotation = new ArrayList<>();
        for (int step = 0; step <= 2000; step += 5) {
            loss.add(new double[] {step, 2.5 * Math.exp(-step / 600.0) + 0.3 + 0.05 * Math.sin(step / 7.0)});
            rotation.add(new double[] {step, 1.4 * Math.exp(-step / 400.0) + 0.1});
        }
        loss.add(new double[] {2005, Double.NaN});
        loss.add(new double[] {2010, Double.POSITIVE_INFINITY});
        loss.add(new double[] {Double.NaN, 1});
        List<double[]> auc = new ArrayList<>();
        for (int epoch = 1; epoch <= 10; epoch++) {
            auc.add(new double[] {epoch * 200, 0.6 + 0.03 * epoch});
        }
        series.put("total loss", loss);
        series.put("loss: rotation", rotation);
        series.put("val macro AUC", auc);
        series.put("diverged", List.of(new double[] {0, Double.NaN}));
        Path png = out("training.png");

        Charts.trainingCurves(series, "Pre-training, run 42", png);

        BufferedImage image = readPng(png, Charts.WIDTH, Charts.HEIGHT);
        assertDrawn(image);
        for (int i = 0; i < 3; i++) {
            assertThat(containsColour(image, Charts.color(i))).as("series %d drawn", i).isTrue();
        }
    }

    @Test
    void trainingCurvesWithoutAnyFiniteValueStillWriteAChart() throws IOException {
        Path png = out("empty.png");
        Charts.trainingCurves(Map.of("loss", List.of(new double[] {1, Double.NaN})), "nothing yet", png);
        assertDrawn(readPng(png, Charts.WIDTH, Charts.HEIGHT));
        Path none = out("none.png");
        Charts.trainingCurves(Map.of(), "no series", none);
        assertDrawn(readPng(none, Charts.WIDTH, Charts.HEIGHT));
    }

    @Test
    void labelEfficiencyOneLinePerMethod() throws IOException {
        Map<String, Map<Double, Double>> table = new LinkedHashMap<>();
        table.put("scratch", Map.of(0.01, 0.61, 0.1, 0.74, 1.0, 0.88));
        table.put("ssl", Map.of(0.01, 0.72, 0.1, 0.83, 1.0, 0.91));
        table.put("ssl+consistency", Map.of(0.01, 0.75, 0.1, 0.845, 1.0, 0.915));
        table.put("partial", Map.of(0.1, Double.NaN, 1.0, 0.9));
        Path png = out("label-efficiency.png");

        Charts.labelEfficiency(table, png);

        BufferedImage image = readPng(png, Charts.WIDTH, Charts.HEIGHT);
        assertDrawn(image);
        for (int i = 0; i < 3; i++) {
            assertThat(containsColour(image, Charts.color(i))).as("method %d drawn", i).isTrue();
        }
    }

    @Test
    void tickAndPercentFormatting() {
        assertThat(Charts.percent(0.01)).isEqualTo("1%");
        assertThat(Charts.percent(0.1)).isEqualTo("10%");
        assertThat(Charts.percent(1.0)).isEqualTo("100%");
        assertThat(Charts.percent(0.005)).isEqualTo("0.5%");
        Charts.Ticks ticks = Charts.Ticks.nice(0.013, 0.87, 7);
        assertThat(ticks.lo()).isLessThanOrEqualTo(0.013);
        assertThat(ticks.hi()).isGreaterThanOrEqualTo(0.87);
        assertThat(ticks.labels()).containsExactly("0.0", "0.2", "0.4", "0.6", "0.8", "1.0");
        assertThat(Charts.Ticks.nice(0, 2000, 8).labels()).containsExactly("0", "500", "1000", "1500", "2000");
        assertThat(Charts.Ticks.nice(3, 3, 7).lo()).isLessThan(3);
    }

    private static BufferedImage readPng(Path png, int width, int height) throws IOException {
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes.length).isGreaterThan(PNG_SIGNATURE.length);
        for (int i = 0; i < PNG_SIGNATURE.length; i++) {
            assertThat(bytes[i]).as("PNG signature byte %d", i).isEqualTo(PNG_SIGNATURE[i]);
        }
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("ImageIO reads it back").isNotNull();
        assertThat(image.getWidth()).isEqualTo(width);
        assertThat(image.getHeight()).isEqualTo(height);
        return image;
    }

    /** Not a blank canvas: many colours (text, anti-aliased lines) and a fair share of non-white pixels. */
    private static void assertDrawn(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        long nonWhite = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                if (rgb != 0xffffff) {
                    nonWhite++;
                }
            }
        }
        assertThat(colours.size()).as("distinct colours").isGreaterThan(20);
        assertThat(nonWhite).as("non-white pixels").isGreaterThan((long) image.getWidth() * image.getHeight() / 100);
    }

    private static boolean containsColour(BufferedImage image, Color colour) {
        int wanted = colour.getRGB() & 0xffffff;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == wanted) {
                    return true;
                }
            }
        }
        return false;
    }
}
