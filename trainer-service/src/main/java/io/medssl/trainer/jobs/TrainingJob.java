package io.medssl.trainer.jobs;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/** A training job as the database keeps it, so that jobs survive a restart of the trainer. */
@Entity
@Table(name = "training_job")
public class TrainingJob extends PanacheEntityBase {
    @Id
    public String id;
    public String type;
    public String dataset;
    @Enumerated(EnumType.STRING)
    public JobState state;
    /** The {@link JobRequest} as JSON, defaults filled in. */
    @Column(columnDefinition = "TEXT")
    public String request;
    public int step;
    public int steps;
    public Float loss;
    @Column(name = "images_per_second")
    public Double imagesPerSecond;
    @Column(name = "checkpoint_step")
    public int checkpointStep;
    @Column(name = "checkpoint_key")
    public String checkpointKey;
    @Column(name = "model_name")
    public String modelName;
    @Column(name = "model_version")
    public Integer modelVersion;
    @Column(columnDefinition = "TEXT")
    public String metrics;
    @Column(columnDefinition = "TEXT")
    public String error;
    @Column(name = "cancel_requested")
    public boolean cancelRequested;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;

    public static List<TrainingJob> unfinished() {
        return list("state in ?1 order by createdAt", List.of(JobState.QUEUED, JobState.RUNNING));
    }
}
