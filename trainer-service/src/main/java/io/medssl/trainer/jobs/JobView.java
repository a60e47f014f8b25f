package io.medssl.trainer.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A job as the REST API shows it. */
public record JobView(String id, String type, String dataset, JobState state, int step, int steps, Float loss,
                      Double imagesPerSecond, int checkpointStep, String modelName, Integer modelVersion, JsonNode request,
                      JsonNode metrics, String error, Instant createdAt, Instant updatedAt) {
}
