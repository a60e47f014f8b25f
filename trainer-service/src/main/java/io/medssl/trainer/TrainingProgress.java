package io.medssl.trainer;

import java.util.Map;

/**
 * Where a training run is: sent as server-sent events and logged.
 *
 * @param epoch passes over the training samples so far (fractional)
 * @param losses smoothed loss per head (and {@code total}, and {@code consistency} when used)
 */
public record TrainingProgress(int step, int steps, double epoch, Map<String, Float> losses, float learningRate,
                               double imagesPerSecond, double etaSeconds) {
}
