package io.medssl.trainer.jobs;

import java.time.Instant;

/** The state of the latest training run of a dataset, for the REST API and the logs. */
public record TrainingRun(String dataset, String state, int step, int steps, Float loss, Double imagesPerSecond,
                          String model, Integer version, String error, Instant updatedAt) {

    public static TrainingRun queued(String dataset) {
        return new TrainingRun(dataset, "queued", 0, 0, null, null, null, null, null, Instant.now());
    }
}
