package io.medssl.pretext.service;

import io.medssl.contracts.Topics;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * How many ingested instances are still waiting for this service: the consumer group's lag on
 * {@code medssl.instances} (end offsets minus committed offsets). With the processing rate it gives
 * the ETA in the progress log. Asked at most every few seconds; commits trail processing a little,
 * so the figure is an upper bound.
 */
@ApplicationScoped
public class BacklogMonitor {
    private static final Logger LOG = Logger.getLogger(BacklogMonitor.class);
    private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final String bootstrap;
    private final String groupId;
    private Admin admin;
    private long lastAsked;
    private OptionalLong last = OptionalLong.empty();

    public BacklogMonitor(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
                          @ConfigProperty(name = "mp.messaging.incoming.instances-in.group.id") String groupId) {
        this.bootstrap = bootstrap;
        this.groupId = groupId;
    }

    /** The latest known backlog in instances, refreshed if older than a few seconds; empty if unknown. */
    public synchronized OptionalLong backlog() {
        long now = System.nanoTime();
        if (now - lastAsked < REFRESH_NANOS && lastAsked != 0) {
            return last;
        }
        lastAsked = now;
        try {
            if (admin == null) {
                admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000));
            }
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(3, TimeUnit.SECONDS);
            // Every partition of the topic: one the group has not committed on yet is behind by all of it.
            var partitions = admin.describeTopics(List.of(Topics.INSTANCES)).allTopicNames().get(3, TimeUnit.SECONDS)
                    .get(Topics.INSTANCES).partitions().stream()
                    .map(p -> new TopicPartition(Topics.INSTANCES, p.partition())).toList();
            var ends = admin.listOffsets(partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
                    .all().get(3, TimeUnit.SECONDS);
            var starts = admin.listOffsets(partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.earliest())))
                    .all().get(3, TimeUnit.SECONDS);
            long lag = 0;
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata c = committed.get(tp);
                long from = c == null ? starts.get(tp).offset() : c.offset();
                lag += Math.max(0, ends.get(tp).offset() - from);
            }
            last = OptionalLong.of(lag);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.debugf("backlog unknown: %s", e.getMessage());
            last = OptionalLong.empty();
        }
        return last;
    }

    synchronized void stop(@Observes ShutdownEvent event) {
        if (admin != null) {
            admin.close();
        }
    }
}
