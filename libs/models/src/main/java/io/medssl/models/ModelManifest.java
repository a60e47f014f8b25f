package io.medssl.models;

import java.util.List;
import java.util.Map;

/**
 * {@code model.json} of a model package: everything needed to rebuild, verify and explain the
 * model without the trainer.
 *
 * @param task what the head predicts (e.g. {@code rotation} for a pretext model)
 * @param sha256 checksum of the parameter file
 */
public record ModelManifest(
        int formatVersion,
        String name,
        int version,
        String task,
        NetworkSpec network,
        List<String> labels,
        String parametersFile,
        String sha256,
        Map<String, Double> metrics,
        Map<String, String> lineage,
        Map<String, String> framework,
        String createdAt) {

    public static final int FORMAT_VERSION = 1;
}
