package io.medssl.trainer.jobs;

import io.medssl.contracts.PretextShardReady;
import io.medssl.trainer.config.TrainerConfig;
import io.medssl.trainer.registry.ShardCatalog;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Pretrains automatically as data arrives: new shards come in bursts while a study is ingested, so
 * a dataset gets a pretrain job once no new shard arrived for the quiet period, and only if it
 * has shards the last automatic job did not see.
 */
@ApplicationScoped
public class TrainingScheduler {
    private static final Logger LOG = Logger.getLogger(TrainingScheduler.class);

    private final TrainerConfig config;
    private final ShardCatalog catalog;
    private final JobService jobs;
    private final Map<String, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();
    private final Map<String, Integer> submittedShardCount = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;

    public TrainingScheduler(TrainerConfig config, ShardCatalog catalog, JobService jobs) {
        this.config = config;
        this.catalog = catalog;
        this.jobs = jobs;
    }

    void start(@Observes StartupEvent event) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "training-timer"));
    }

    void stop(@Observes ShutdownEvent event) {
        timer.shutdownNow();
    }

    /** Records a shard and (re)starts the dataset's quiet-period timer. */
    public void onShard(PretextShardReady shard) throws IOException {
        catalog.add(shard);
        if (!config.trainer().autoPretrain()) {
            return;
        }
        pending.compute(shard.dataset(), (dataset, previous) -> {
            if (previous != null) {
                previous.cancel(false);
            }
            return timer.schedule(() -> submitIfNew(dataset), config.trainer().quietPeriod().toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    private void submitIfNew(String dataset) {
        try {
            List<PretextShardReady> shards = catalog.shards(dataset);
            if (submittedShardCount.getOrDefault(dataset, -1) == shards.size()) {
                return;
            }
            int trainSamples = shards.stream().filter(s -> !"validation".equals(s.split()))
                    .mapToInt(PretextShardReady::samples).sum();
            if (trainSamples < config.trainer().minSamples()) {
                LOG.infof("dataset %s: %d training samples, waiting for at least %d", dataset, trainSamples,
                        config.trainer().minSamples());
                return;
            }
            submittedShardCount.put(dataset, shards.size());
            TrainingJob job = jobs.submit(JobRequest.of(JobRequest.PRETRAIN, dataset));
            LOG.infof("dataset %s: %d shards, submitted pretrain job %s", dataset, shards.size(), job.id);
        } catch (Exception e) {
            LOG.errorf(e, "could not submit the pretrain job of dataset %s", dataset);
        }
    }
}
