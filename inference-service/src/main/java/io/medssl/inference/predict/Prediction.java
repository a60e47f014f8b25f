package io.medssl.inference.predict;

import java.util.Map;

/**
 * A model's answer for one DICOM instance.
 *
 * @param probabilities class label → probability, in the model's label order
 * @param label the most probable class
 * @param frame which frame of the object was classified (the middle one)
 */
public record Prediction(String model, int version, String task, Map<String, Double> probabilities, String label,
                         int frame, int frames, int rows, int columns) {
}
