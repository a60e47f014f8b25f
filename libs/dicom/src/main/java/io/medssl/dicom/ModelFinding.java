package io.medssl.dicom;

import java.util.Map;

/**
 * What a model said about one image, to be reported back as DICOM SR.
 *
 * @param probabilities class label → probability, in the model's label order
 * @param finding the reported (most probable) class
 */
public record ModelFinding(String modelName, int modelVersion, Map<String, Double> probabilities, String finding) {
}
