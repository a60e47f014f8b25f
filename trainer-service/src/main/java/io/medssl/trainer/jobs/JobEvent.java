package io.medssl.trainer.jobs;

import io.medssl.trainer.TrainingProgress;

/**
 * One server-sent event of a job: {@code state} on every change of state, {@code progress} while
 * it trains (epoch, step, loss per head, images/s, ETA).
 */
public record JobEvent(String jobId, String type, JobState state, TrainingProgress progress, String message) {

    static JobEvent state(TrainingJob job) {
        return new JobEvent(job.id, "state", job.state, null, job.error);
    }

    static JobEvent progress(String jobId, TrainingProgress progress) {
        return new JobEvent(jobId, "progress", JobState.RUNNING, progress, null);
    }
}
