package io.medssl.contracts;

import java.util.Map;

/** A model's answer for one (pseudonymised) instance. */
public record InferenceResult(
        int schemaVersion,
        String model,
        int version,
        String instanceId,
        String studyId,
        Map<String, Double> probabilities,
        String finding) {

    public static final int SCHEMA_VERSION = 1;
}
