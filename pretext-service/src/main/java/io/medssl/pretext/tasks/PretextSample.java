package io.medssl.pretext.tasks;

/** One training sample of a classification pretext task: a square input and its class. */
public record PretextSample(float[] input, int label) {
}
