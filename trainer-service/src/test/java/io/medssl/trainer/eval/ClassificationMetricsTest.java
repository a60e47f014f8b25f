package io.medssl.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.medssl.trainer.eval.ClassificationMetrics.RocCurve;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {

    private static boolean[] positives(int... truth) {
        boolean[] out = new boolean[truth.length];
        for (int i = 0; i < truth.length; i++) {
            out[i] = truth[i] == 1;
        }
        return out;
    }

    @Test
    void aucOfHandComputedExamples() {
        // Positives 0.35, 0.8 vs negatives 0.1, 0.4: 3 of 4 pairs ordered correctly.
        assertThat(ClassificationMetrics.auc(new double[] {0.1, 0.4, 0.35, 0.8}, positives(0, 0, 1, 1))).isEqualTo(0.75);
        assertThat(ClassificationMetrics.auc(new double[] {0.1, 0.2, 0.8, 0.9}, positives(0, 0, 1, 1))).isEqualTo(1.0);
        assertThat(ClassificationMetrics.auc(new double[] {0.9, 0.8, 0.2, 0.1}, positives(0, 0, 1, 1))).isEqualTo(0.0);
        assertThat(ClassificationMetrics.auc(new double[] {0.5, 0.5, 0.5, 0.5}, positives(0, 1, 0, 1))).isEqualTo(0.5);
        // Positives 0.5, 0.8 vs negatives 0.5, 0.2: the tied pair counts one half → 3.5 / 4.
        assertThat(ClassificationMetrics.auc(new double[] {0.5, 0.5, 0.2, 0.8}, positives(1, 0, 0, 1))).isEqualTo(0.875);
        assertThat(ClassificationMetrics.auc(new double[] {0.1, 0.2}, positives(1, 1))).isNaN();
        assertThat(ClassificationMetrics.auc(new double[] {0.1, 0.2}, positives(0, 0))).isNaN();
        assertThat(ClassificationMetrics.auc(new double[0], new boolean[0])).isNaN();
        // NaN ranks lowest; -0.0 ties with 0.0.
        assertThat(ClassificationMetrics.auc(new double[] {Double.NaN, 0.3}, positives(0, 1))).isEqualTo(1.0);
        assertThat(ClassificationMetrics.auc(new double[] {-0.0, 0.0}, positives(0, 1))).isEqualTo(0.5);
    }

    @Test
    void aucMatchesPairCountingOnRandomTiedScores() {
        Random random = new Random(42);
        for (int trial = 0; trial < 50; trial++) {
            int n = 2 + random.nextInt(60);
            double[] scores = new double[n];
            boolean[] positive = new boolean[n];
            for (int i = 0; i < n; i++) {
                scores[i] = random.nextInt(6) / 5.0; // few distinct values: many ties
                positive[i] = random.nextDouble() < 0.4;
            }
            double pairs = 0;
            double wins = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (positive[i] && !positive[j]) {
                        pairs++;
                        wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                    }
                }
            }
            double expected = pairs == 0 ? Double.NaN : wins / pairs;
            double auc = ClassificationMetrics.auc(scores, positive);
            if (Double.isNaN(expected)) {
                assertThat(auc).isNaN();
            } else {
                assertThat(auc).isCloseTo(expected, within(1e-12));
                // The trapezoidal area under the ROC curve is the same number.
                RocCurve curve = ClassificationMetrics.rocCurve("c", scores, positive);
                assertThat(trapezoid(curve)).isCloseTo(expected, within(1e-12));
            }
        }
    }

    @Test
    void binaryProblemHasOneAucForBothClasses() {
        float[][] probs = {{0.9f, 0.1f}, {0.6f, 0.4f}, {0.65f, 0.35f}, {0.2f, 0.8f}};
        int[] truth = {0, 0, 1, 1};
        ClassificationMetrics m = ClassificationMetrics.compute(probs, truth, List.of("normal", "pneumonia"));
        assertThat(m.perClassAuc()).containsEntry("normal", 0.75).containsEntry("pneumonia", 0.75);
        assertThat(m.macroAuc()).isEqualTo(0.75);
        assertThat(m.accuracy()).isEqualTo(0.75);
        assertThat(m.confusion()).isEqualTo(new int[][] {{2, 0}, {1, 1}});
        assertThat(m.count()).isEqualTo(4);

        // Unnormalised logits rank by their margin, like the probabilities they stand for.
        float[][] logits = {{3f, 1f}, {0.2f, -0.2f}, {1.5f, 0.9f}, {-1f, 2f}};
        ClassificationMetrics fromLogits = ClassificationMetrics.compute(logits, truth, List.of("normal", "pneumonia"));
        assertThat(fromLogits.perClassAuc()).containsEntry("normal", 0.75).containsEntry("pneumonia", 0.75);
    }

    @Test
    void confusionAccuracyAndMacroAucOverThreeClasses() {
        float[][] probs = {
            {0.7f, 0.2f, 0.1f}, // truth 0, predicted 0
            {0.3f, 0.4f, 0.3f}, // truth 0, predicted 1
            {0.2f, 0.6f, 0.2f}, // truth 1, predicted 1
            {0.5f, 0.3f, 0.2f}, // truth 1, predicted 0
            {0.1f, 0.2f, 0.7f}, // truth 2, predicted 2
            {0.4f, 0.1f, 0.5f}, // truth 2, predicted 2
        };
        int[] truth = {0, 0, 1, 1, 2, 2};
        ClassificationMetrics m = ClassificationMetrics.compute(probs, truth, List.of("a", "b", "c"));

        assertThat(m.confusion()).isEqualTo(new int[][] {{1, 1, 0}, {1, 1, 0}, {0, 0, 2}});
        assertThat(m.accuracy()).isCloseTo(4 / 6.0, within(1e-12));
        // a: positives 0.7, 0.3 vs 0.2, 0.5, 0.1, 0.4 → (4 + 2) / 8; b: 0.6, 0.3 vs 0.2, 0.4, 0.2, 0.1 → 7 / 8;
        // c: 0.7, 0.5 vs 0.1, 0.3, 0.2, 0.2 → 8 / 8.
        assertThat(m.perClassAuc()).containsExactly(
                org.assertj.core.api.Assertions.entry("a", 0.75),
                org.assertj.core.api.Assertions.entry("b", 0.875),
                org.assertj.core.api.Assertions.entry("c", 1.0));
        assertThat(m.macroAuc()).isCloseTo(0.875, within(1e-12));
        assertThat(m.classes()).containsExactly("a", "b", "c");

        List<RocCurve> curves = ClassificationMetrics.rocCurves(probs, truth, List.of("a", "b", "c"));
        assertThat(curves).extracting(RocCurve::label).containsExactly("a", "b", "c");
        assertThat(curves).extracting(RocCurve::auc).containsExactly(0.75, 0.875, 1.0);
    }

    @Test
    void absentClassHasNaNAucAndIsLeftOutOfTheMacroAverage() {
        float[][] probs = {{0.8f, 0.1f, 0.1f}, {0.3f, 0.6f, 0.1f}, {0.6f, 0.3f, 0.1f}, {0.2f, 0.7f, 0.1f}};
        int[] truth = {0, 1, 0, 1};
        ClassificationMetrics m = ClassificationMetrics.compute(probs, truth, List.of("x", "y", "z"));
        assertThat(m.perClassAuc().get("x")).isEqualTo(1.0);
        assertThat(m.perClassAuc().get("y")).isEqualTo(1.0);
        assertThat(m.perClassAuc().get("z")).isNaN();
        assertThat(m.macroAuc()).isEqualTo(1.0);
        assertThat(m.confusion()[2]).containsExactly(0, 0, 0);

        RocCurve z = ClassificationMetrics.rocCurves(probs, truth, List.of("x", "y", "z")).get(2);
        assertThat(z.defined()).isFalse();
        assertThat(z.fpr()).isEmpty();

        // Only one class present: no class has both positives and negatives.
        ClassificationMetrics single = ClassificationMetrics.compute(new float[][] {{0.9f, 0.1f}}, new int[] {0}, List.of("x", "y"));
        assertThat(single.macroAuc()).isNaN();
        assertThat(single.accuracy()).isEqualTo(1.0);
        ClassificationMetrics none = ClassificationMetrics.compute(new float[0][], new int[0], List.of("x", "y"));
        assertThat(none.accuracy()).isNaN();
        assertThat(none.count()).isZero();
    }

    @Test
    void rocCurveRunsFromOriginToOneWithDescendingThresholds() {
        RocCurve curve = ClassificationMetrics.rocCurve("c", new double[] {0.1, 0.4, 0.35, 0.8, 0.4}, positives(0, 0, 1, 1, 1));
        assertThat(curve.thresholds()).containsExactly(Double.POSITIVE_INFINITY, 0.8, 0.4, 0.35, 0.1);
        assertThat(curve.fpr()).containsExactly(0, 0, 0.5, 0.5, 1);
        assertThat(curve.tpr()).containsExactly(0, 1 / 3.0, 2 / 3.0, 1, 1);
        assertThat(trapezoid(curve)).isCloseTo(curve.auc(), within(1e-12));
    }

    @Test
    void argmaxIgnoresNaNAndPrefersTheFirstOfTies() {
        assertThat(ClassificationMetrics.argmax(new float[] {Float.NaN, 0.2f, 0.7f})).isEqualTo(2);
        assertThat(ClassificationMetrics.argmax(new float[] {0.5f, 0.5f})).isZero();
        assertThat(ClassificationMetrics.argmax(new float[] {Float.NaN, Float.NaN})).isZero();
        assertThat(ClassificationMetrics.argmax(new float[] {-3f, -1f, Float.NEGATIVE_INFINITY})).isEqualTo(1);
    }

    @Test
    void invalidInputIsRejected() {
        assertThatThrownBy(() -> ClassificationMetrics.compute(new float[][] {{0.5f, 0.5f}}, new int[] {2}, List.of("a", "b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label 2");
        assertThatThrownBy(() -> ClassificationMetrics.compute(new float[][] {{1f}}, new int[] {0}, List.of("a", "b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 scores for 2 classes");
        assertThatThrownBy(() -> ClassificationMetrics.compute(new float[][] {{1f, 0f}}, new int[] {0, 1}, List.of("a", "b")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClassificationMetrics.compute(new float[0][], new int[0], List.of("a")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resultIsPlainJson() throws Exception {
        float[][] probs = {{0.8f, 0.1f, 0.1f}, {0.3f, 0.6f, 0.1f}, {0.6f, 0.3f, 0.1f}, {0.2f, 0.7f, 0.1f}};
        ClassificationMetrics m = ClassificationMetrics.compute(probs, new int[] {0, 1, 0, 1}, List.of("x", "y", "z"));
        ObjectMapper mapper = new ObjectMapper();

        String json = mapper.writeValueAsString(m);
        JsonNode tree = mapper.readTree(json);

        assertThat(tree.get("count").asInt()).isEqualTo(4);
        assertThat(tree.get("accuracy").asDouble()).isEqualTo(1.0);
        assertThat(tree.get("macroAuc").asDouble()).isEqualTo(1.0);
        assertThat(tree.get("perClassAuc").get("x").asDouble()).isEqualTo(1.0);
        assertThat(tree.get("confusion").toString()).isEqualTo("[[2,0,0],[0,2,0],[0,0,0]]");
        assertThat(tree.get("classes").toString()).isEqualTo("[\"x\",\"y\",\"z\"]");
        assertThat(mapper.readValue(json, ClassificationMetrics.class)).isEqualTo(m);
    }

    private static double trapezoid(RocCurve curve) {
        double area = 0;
        for (int i = 1; i < curve.fpr().length; i++) {
            area += (curve.fpr()[i] - curve.fpr()[i - 1]) * (curve.tpr()[i] + curve.tpr()[i - 1]) / 2;
        }
        return area;
    }
}
