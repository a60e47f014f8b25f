package io.medssl.trainer.messaging;

import io.medssl.contracts.PretextShardReady;
import io.medssl.trainer.jobs.TrainingScheduler;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** medssl.pretext-shards → the catalog and the training scheduler. */
@ApplicationScoped
public class ShardConsumer {
    private static final Logger LOG = Logger.getLogger(ShardConsumer.class);
    private final TrainingScheduler scheduler;

    public ShardConsumer(TrainingScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Incoming("shards-in")
    @Blocking
    public void consume(PretextShardReady shard) throws Exception {
        if (shard == null) {
            LOG.warn("skipped a record on medssl.pretext-shards that is not a valid PretextShardReady event");
            return;
        }
        scheduler.onShard(shard);
    }
}
