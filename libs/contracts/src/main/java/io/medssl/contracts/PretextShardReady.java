package io.medssl.contracts;

import java.util.List;

/**
 * A shard of pretext samples was written to storage under {@code key}.
 *
 * @param split {@code train} or {@code validation}, decided by patient pseudonym, never by image
 * @param inputShape shape of one input sample, e.g. [1, 64, 64]
 */
public record PretextShardReady(
        int schemaVersion,
        String shardId,
        String dataset,
        String split,
        List<PretextTask> tasks,
        List<Integer> inputShape,
        int samples,
        String key,
        long seed) {

    public static final int SCHEMA_VERSION = 1;
}
