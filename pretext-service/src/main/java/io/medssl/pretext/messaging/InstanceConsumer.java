package io.medssl.pretext.messaging;

import io.medssl.contracts.InstanceIngested;
import io.medssl.contracts.PretextShardReady;
import io.medssl.pretext.service.ShardService;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.medssl.messaging.AckedPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * medssl.instances → shard → medssl.pretext-shards. The incoming event is acknowledged only after
 * the shard is durable and its announcement was acknowledged, so a crash in between redelivers it.
 * An instance whose pixels can't be read is logged and skipped rather than blocking the stream.
 * Instances are processed by a bounded worker pool ({@code medssl.pretext.workers}); the Kafka
 * connector stops polling while the pool's queue is full, which bounds memory.
 */
@ApplicationScoped
public class InstanceConsumer {
    private static final Logger LOG = Logger.getLogger(InstanceConsumer.class);

    private final ShardService shards;

    @Channel("shards-out")
    Emitter<PretextShardReady> emitter;

    public InstanceConsumer(ShardService shards) {
        this.shards = shards;
    }

    @Incoming("instances-in")
    @Blocking(value = "pretext-workers", ordered = false)
    public void consume(InstanceIngested instance) throws Exception {
        if (instance == null) {
            // A record that is not an InstanceIngested (deserialization failed): skip, don't stall the stream.
            LOG.warn("skipped a record on medssl.instances that is not a valid InstanceIngested event");
            return;
        }
        var shard = shardOrSkip(instance);
        if (shard.isEmpty()) {
            return;
        }
        AckedPublisher.publish(emitter, shard.get().shardId(), shard.get());
    }

    private java.util.Optional<PretextShardReady> shardOrSkip(InstanceIngested instance) {
        try {
            return shards.shardFor(instance);
        } catch (IOException | RuntimeException e) {
            LOG.errorf("no shard for instance %s: %s", instance.instanceId(), e.getMessage());
            return java.util.Optional.empty();
        }
    }
}
