package io.medssl.inference.predict;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * A model's answer for one DICOM instance.
 *
 * @param probabilities class label → probability, in the model's label order
 * @param label the most probable class
 * @param frame which frame of the object was classified (the middle one)
 * @param saliencyPng on request: an occlusion saliency map over the model input, PNG, base64
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Prediction(String model, int version, String task, Map<String, Double> probabilities, String label,
                         int frame, int frames, int rows, int columns, String saliencyPng) {

    Prediction withSaliency(String png) {
        return new Prediction(model, version, task, probabilities, label, frame, frames, rows, columns, png);
    }
}
