package io.medssl.trainer.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.engine.Engine;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Loss values and gradients against values computed by hand (in doubles) on tiny tensors. */
class LossesTest {
    static NDManager manager;

    @BeforeAll
    static void engine() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static double[] softmax(double[] z, double t) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v / t);
        }
        double sum = 0;
        double[] p = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            p[i] = Math.exp(z[i] / t - max);
            sum += p[i];
        }
        for (int i = 0; i < z.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    private static double kl(double[] p, double[] q) {
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            s += p[i] * Math.log(p[i] / q[i]);
        }
        return s;
    }

    static final float[] A = {1.0f, -0.5f, 2.0f, 0.3f, 0.1f, -1.2f};
    static final float[] B = {0.2f, 0.4f, 1.5f, -0.7f, 0.9f, 0.0f};

    @Test
    void crossEntropyIsMinusLogSoftmaxOfTheTrueClass() {
        NDArray logits = manager.create(A, new Shape(2, 3));
        NDArray labels = manager.create(new long[] {2, 0});
        double expected = (-Math.log(softmax(new double[] {1.0, -0.5, 2.0}, 1)[2])
                - Math.log(softmax(new double[] {0.3, 0.1, -1.2}, 1)[0])) / 2;
        assertThat(PretextLosses.crossEntropy(logits, labels).getFloat()).isCloseTo((float) expected, within(1e-5f));
    }

    @Test
    void maskedMeanSquaredErrorCountsOnlyMaskedPixels() {
        NDArray prediction = manager.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
        NDArray target = manager.create(new float[] {1, 0, 0, 0}, new Shape(1, 1, 2, 2));
        NDArray mask = manager.create(new float[] {0, 1, 0, 1}, new Shape(1, 1, 2, 2));
        // masked errors: (2-0)² and (4-0)² over 2 pixels
        assertThat(PretextLosses.maskedMeanSquaredError(prediction, target, mask).getFloat()).isCloseTo(10f, within(1e-4f));
    }

    @Test
    void symmetricKlMatchesHandComputationAndIsZeroForEqualViews() {
        float t = 0.5f;
        NDArray a = manager.create(A, new Shape(2, 3));
        NDArray b = manager.create(B, new Shape(2, 3));
        double expected = 0;
        for (int row = 0; row < 2; row++) {
            double[] p = softmax(new double[] {A[row * 3], A[row * 3 + 1], A[row * 3 + 2]}, t);
            double[] q = softmax(new double[] {B[row * 3], B[row * 3 + 1], B[row * 3 + 2]}, t);
            expected += 0.5 * (kl(p, q) + kl(q, p));
        }
        expected /= 2;
        assertThat(ConsistencyLoss.symmetricKl(a, b, t).getFloat()).isCloseTo((float) expected, within(1e-5f));
        assertThat(ConsistencyLoss.symmetricKl(a, a, t).getFloat()).isCloseTo(0f, within(1e-6f));
    }

    /** NT-Xent by hand: rows z1, z2 of view A; z1', z2' of view B; each row's partner is the other view of its image. */
    @Test
    void infoNceMatchesHandComputation() {
        float t = 0.2f;
        double[][] z = {
            {A[0], A[1], A[2]}, {A[3], A[4], A[5]}, {B[0], B[1], B[2]}, {B[3], B[4], B[5]}};
        for (double[] row : z) {
            double norm = Math.sqrt(row[0] * row[0] + row[1] * row[1] + row[2] * row[2]);
            for (int i = 0; i < 3; i++) {
                row[i] /= norm;
            }
        }
        double expected = 0;
        for (int i = 0; i < 4; i++) {
            double denominator = 0;
            double positive = 0;
            for (int j = 0; j < 4; j++) {
                if (j == i) {
                    continue;
                }
                double sim = Math.exp((z[i][0] * z[j][0] + z[i][1] * z[j][1] + z[i][2] * z[j][2]) / t);
                denominator += sim;
                if (j == (i + 2) % 4) {
                    positive = sim;
                }
            }
            expected += -Math.log(positive / denominator);
        }
        expected /= 4;
        NDArray a = manager.create(A, new Shape(2, 3));
        NDArray b = manager.create(B, new Shape(2, 3));
        assertThat(ConsistencyLoss.infoNce(a, b, t).getFloat()).isCloseTo((float) expected, within(1e-4f));
        assertThat(new ConsistencyLoss(ConsistencyLoss.Kind.BOTH, 1f, t).compute(a, b).getFloat())
                .isCloseTo((float) expected + ConsistencyLoss.symmetricKl(a, b, t).getFloat(), within(1e-4f));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        checkGradient(x -> ConsistencyLoss.symmetricKl(x, manager.create(B, new Shape(2, 3)), 0.5f));
        checkGradient(x -> ConsistencyLoss.infoNce(x, manager.create(B, new Shape(2, 3)), 0.2f));
        checkGradient(x -> PretextLosses.crossEntropy(x, manager.create(new long[] {2, 0})));
    }

    private static void checkGradient(Function<NDArray, NDArray> loss) {
        NDArray x = manager.create(A, new Shape(2, 3));
        x.setRequiresGradient(true);
        float[] analytic;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray value = loss.apply(x);
            collector.backward(value);
            analytic = x.getGradient().toFloatArray();
        }
        double h = 1e-3;
        for (int i = 0; i < A.length; i++) {
            float[] plus = A.clone();
            float[] minus = A.clone();
            plus[i] += (float) h;
            minus[i] -= (float) h;
            double numeric = (loss.apply(manager.create(plus, new Shape(2, 3))).getFloat()
                    - loss.apply(manager.create(minus, new Shape(2, 3))).getFloat()) / (2 * h);
            assertThat((double) analytic[i]).as("d loss / d x[%d]", i).isCloseTo(numeric, within(2e-3));
        }
    }
}
