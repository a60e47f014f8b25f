package io.medssl.contracts;

import java.util.List;
import java.util.Map;

/**
 * A model package was written to storage under {@code key} and may be served.
 *
 * @param sha256 checksum of the package's parameter file, so a reader can verify what it loads
 */
public record ModelPublished(
        int schemaVersion,
        String name,
        int version,
        String key,
        String sha256,
        List<String> labels,
        Map<String, Double> metrics,
        Map<String, String> lineage) {

    public static final int SCHEMA_VERSION = 1;
}
