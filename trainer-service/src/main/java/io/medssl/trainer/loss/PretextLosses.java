package io.medssl.trainer.loss;

import ai.djl.ndarray.NDArray;

/** The per-head losses of pretraining and fine-tuning, each a scalar mean over the batch. */
public final class PretextLosses {
    private PretextLosses() {
    }

    /** Softmax cross-entropy of logits (N, C) against int64 class indices (N). */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        NDArray logProbabilities = logits.logSoftmax(1);
        int classes = (int) logits.getShape().get(1);
        return logProbabilities.mul(labels.oneHot(classes)).sum(new int[] {1}).neg().mean();
    }

    /** Mean squared error over every element. */
    public static NDArray meanSquaredError(NDArray prediction, NDArray target) {
        return prediction.sub(target).square().mean();
    }

    /**
     * Mean squared error over the masked pixels only (mask 1 = hidden from the network): the
     * visible pixels are in the input already, so copying them would teach nothing.
     */
    public static NDArray maskedMeanSquaredError(NDArray prediction, NDArray target, NDArray mask) {
        NDArray error = prediction.sub(target).square().mul(mask).sum();
        return error.div(mask.sum().add(1e-6f));
    }
}
