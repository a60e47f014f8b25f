package io.medssl.trainer.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.medssl.models.DjlRuntime;
import io.medssl.trainer.TrainingProgress;
import io.medssl.trainer.config.TrainerConfig;
import io.medssl.trainer.ssl.CancelledException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Training jobs: persisted in the database, run one at a time (a node trains one model at a time;
 * two would halve each other's speed), streamed to subscribers as server-sent events, resumed after
 * a restart (a job that was running continues from its last checkpoint).
 */
@ApplicationScoped
public class JobService {
    private static final Logger LOG = Logger.getLogger(JobService.class);

    private final TrainerConfig config;
    private final JobRunner runner;
    private final ObjectMapper json;
    private final Map<String, BroadcastProcessor<JobEvent>> streams = new ConcurrentHashMap<>();
    private final Map<String, Boolean> cancelled = new ConcurrentHashMap<>();
    private ExecutorService worker;

    public JobService(TrainerConfig config, JobRunner runner, ObjectMapper json) {
        this.config = config;
        this.runner = runner;
        this.json = json;
    }

    void start(@Observes StartupEvent event) {
        DjlRuntime.configure(config.trainer().offline(), config.trainer().threads());
        worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "training-worker"));
        resumeUnfinished();
    }

    /**
     * Queues every job the database says is queued or running: after a restart, those are jobs the
     * previous process accepted and did not finish. A running one continues from its checkpoint.
     */
    public void resumeUnfinished() {
        List<TrainingJob> unfinished = QuarkusTransaction.requiringNew().call(TrainingJob::unfinished);
        for (TrainingJob job : unfinished) {
            LOG.infof("resuming job %s (%s of %s, %s, checkpoint at step %d)", job.id, job.type, job.dataset, job.state,
                    job.checkpointStep);
            enqueue(job.id);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (worker != null) {
            worker.shutdownNow();
        }
    }

    /** Validates, fills in defaults, stores the job as QUEUED and queues it. */
    public TrainingJob submit(JobRequest request) {
        JobRequest complete = runner.complete(request);
        TrainingJob job = new TrainingJob();
        job.id = UUID.randomUUID().toString();
        job.type = complete.type();
        job.dataset = complete.dataset();
        job.state = JobState.QUEUED;
        try {
            job.request = json.writeValueAsString(complete);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        job.createdAt = Instant.now();
        job.updatedAt = job.createdAt;
        QuarkusTransaction.requiringNew().run(job::persist);
        enqueue(job.id);
        return job;
    }

    public Optional<TrainingJob> find(String id) {
        return QuarkusTransaction.requiringNew().call(() -> Optional.ofNullable(TrainingJob.findById(id)));
    }

    public List<TrainingJob> list(String dataset) {
        return QuarkusTransaction.requiringNew().call(() -> dataset == null
                ? TrainingJob.list("order by createdAt")
                : TrainingJob.list("dataset = ?1 order by createdAt", dataset));
    }

    /** Cancels a queued job at once, a running one at its next step; finished jobs stay as they are. */
    public Optional<TrainingJob> cancel(String id) {
        Optional<TrainingJob> job = update(id, j -> {
            if (!j.state.finished()) {
                j.cancelRequested = true;
                if (j.state == JobState.QUEUED) {
                    j.state = JobState.CANCELLED;
                }
            }
        });
        job.ifPresent(j -> {
            cancelled.put(id, true);
            if (j.state == JobState.CANCELLED) {
                finish(j);
            }
        });
        return job;
    }

    /** The job's events: its current state first, then live events until it finishes. */
    public Multi<JobEvent> events(String id) {
        TrainingJob job = find(id).orElseThrow();
        if (job.state.finished()) {
            return Multi.createFrom().item(JobEvent.state(job));
        }
        BroadcastProcessor<JobEvent> stream = streams.computeIfAbsent(id, k -> BroadcastProcessor.create());
        // The job may have finished between the lookup and the subscription; then nobody would complete the stream.
        TrainingJob now = find(id).orElseThrow();
        if (now.state.finished()) {
            streams.remove(id, stream);
            return Multi.createFrom().item(JobEvent.state(now));
        }
        return Multi.createBy().concatenating().streams(Multi.createFrom().item(JobEvent.state(now)), stream);
    }

    private void enqueue(String id) {
        worker.execute(() -> run(id));
    }

    private void run(String id) {
        TrainingJob job = update(id, j -> {
            if (j.cancelRequested && !j.state.finished()) {
                // Cancelled before a restart: the request outlives the process that received it.
                j.state = JobState.CANCELLED;
            } else if (j.state == JobState.QUEUED || j.state == JobState.RUNNING) {
                j.state = JobState.RUNNING;
            }
        }).orElse(null);
        if (job != null && job.state == JobState.CANCELLED) {
            finish(job);
            return;
        }
        if (job == null || job.state != JobState.RUNNING) {
            return;
        }
        emit(id, JobEvent.state(job));
        try {
            JobRequest request = json.readValue(job.request, JobRequest.class);
            JobRunner.Outcome outcome = runner.run(job, request, new JobRunner.Listener() {
                @Override
                public void progress(TrainingProgress p) {
                    update(id, j -> {
                        j.step = p.step();
                        j.steps = p.steps();
                        j.loss = p.losses().get("total");
                        j.imagesPerSecond = p.imagesPerSecond();
                    });
                    emit(id, JobEvent.progress(id, p));
                }

                @Override
                public boolean cancelled() {
                    return cancelled.containsKey(id);
                }

                @Override
                public void checkpointed(int step, String key) {
                    update(id, j -> {
                        j.checkpointStep = step;
                        j.checkpointKey = key;
                    });
                }
            });
            finish(update(id, j -> {
                j.state = JobState.SUCCEEDED;
                j.modelName = outcome.modelName();
                j.modelVersion = outcome.modelVersion();
                j.metrics = outcome.metricsJson();
                j.step = j.steps;
            }).orElseThrow());
        } catch (CancelledException e) {
            LOG.infof("job %s %s", id, e.getMessage());
            finish(update(id, j -> j.state = JobState.CANCELLED).orElseThrow());
        } catch (Exception | Error e) {
            LOG.errorf(e, "job %s failed", id);
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            finish(update(id, j -> {
                j.state = JobState.FAILED;
                j.error = message;
            }).orElseThrow());
        }
    }

    private void finish(TrainingJob job) {
        cancelled.remove(job.id);
        BroadcastProcessor<JobEvent> stream = streams.remove(job.id);
        if (stream != null) {
            stream.onNext(JobEvent.state(job));
            stream.onComplete();
        }
    }

    private void emit(String id, JobEvent event) {
        BroadcastProcessor<JobEvent> stream = streams.get(id);
        if (stream != null) {
            stream.onNext(event);
        }
    }

    private Optional<TrainingJob> update(String id, Consumer<TrainingJob> change) {
        return QuarkusTransaction.requiringNew().call(() -> {
            TrainingJob job = TrainingJob.findById(id);
            if (job == null) {
                return Optional.empty();
            }
            change.accept(job);
            job.updatedAt = Instant.now();
            return Optional.of(job);
        });
    }
}
