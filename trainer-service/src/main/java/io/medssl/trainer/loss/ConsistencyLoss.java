package io.medssl.trainer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Agreement between two augmented views of the same images.
 *
 * <ul>
 *   <li>{@code kl}: UDA-style symmetric Kullback–Leibler divergence between the softmax
 *       distributions (temperature τ) the network gives the two views. On its own it collapses
 *       to "always predict the same thing" — it is meant beside a supervised or pretext loss.
 *   <li>{@code infonce}: NT-Xent (SimCLR) over the 2N L2-normalised projections: each view must
 *       pick its partner out of the other 2N − 2 images of the batch (the negatives keep it from
 *       collapsing).
 *   <li>{@code both}: their sum.
 * </ul>
 *
 * @param weight λ, the consistency term's weight in the total loss
 */
public record ConsistencyLoss(Kind kind, float weight, float temperature) {

    public enum Kind { KL, INFONCE, BOTH;

        public static Kind parse(String value) {
            return switch (value.trim().toLowerCase()) {
                case "kl" -> KL;
                case "infonce", "nt-xent", "ntxent" -> INFONCE;
                case "both" -> BOTH;
                default -> throw new IllegalArgumentException("consistency kind must be kl, infonce or both, not " + value);
            };
        }
    }

    public ConsistencyLoss {
        if (!(temperature > 0) || weight < 0) {
            throw new IllegalArgumentException("consistency needs temperature > 0 and weight >= 0");
        }
    }

    /** The unweighted term for outputs (N, d) of the two views. */
    public NDArray compute(NDArray a, NDArray b) {
        return switch (kind) {
            case KL -> symmetricKl(a, b, temperature);
            case INFONCE -> infoNce(a, b, temperature);
            case BOTH -> symmetricKl(a, b, temperature).add(infoNce(a, b, temperature));
        };
    }

    /** ½·(KL(p‖q) + KL(q‖p)) with p = softmax(a/τ), q = softmax(b/τ), averaged over the batch. */
    public static NDArray symmetricKl(NDArray a, NDArray b, float temperature) {
        NDArray logP = a.div(temperature).logSoftmax(1);
        NDArray logQ = b.div(temperature).logSoftmax(1);
        NDArray p = logP.exp();
        NDArray q = logQ.exp();
        NDArray klPq = p.mul(logP.sub(logQ)).sum(new int[] {1});
        NDArray klQp = q.mul(logQ.sub(logP)).sum(new int[] {1});
        return klPq.add(klQp).mul(0.5f).mean();
    }

    /** NT-Xent: mean over the 2N rows of −log softmax(sim/τ)[partner], self-similarity excluded. */
    public static NDArray infoNce(NDArray a, NDArray b, float temperature) {
        long n = a.getShape().get(0);
        NDArray z = a.concat(b, 0);
        z = z.div(z.norm(new int[] {1}, true).add(1e-8f));
        NDArray similarity = z.matMul(z.transpose()).div(temperature);
        NDManager manager = similarity.getManager();
        int rows = (int) (2 * n);
        float[] self = new float[rows * rows];
        float[] partner = new float[rows * rows];
        for (int i = 0; i < rows; i++) {
            self[i * rows + i] = 1e9f;
            partner[i * rows + (int) ((i + n) % rows)] = 1f;
        }
        NDArray logits = similarity.sub(manager.create(self, new Shape(rows, rows)));
        NDArray logProbabilities = logits.logSoftmax(1);
        return logProbabilities.mul(manager.create(partner, new Shape(rows, rows))).sum().neg().div(rows);
    }
}
