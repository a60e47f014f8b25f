package io.medssl.ingest.messaging;

import io.medssl.contracts.EventJson;
import io.medssl.contracts.InstanceIngested;
import io.medssl.ingest.index.OutboxRow;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Sends outbox events. The processing path sends its own event right after the commit (STOW-RS
 * waits for the acknowledgement, the DICOM node's background processing does not); this relay
 * also re-sends every event that stayed unsent — after a broker outage or a crash between commit and send — at start and then
 * every {@link #PERIOD}. Delivery is at least once; consumers are keyed by instance pseudonym.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    static final Duration PERIOD = Duration.ofSeconds(10);
    /** Events younger than this are left to the ingest path that wrote them. */
    static final Duration GRACE = Duration.ofSeconds(30);

    /** Announcements sent without waiting that may await their acknowledgement at once. */
    static final int IN_FLIGHT = 64;
    /** Acknowledged events marked sent in one transaction, at most. */
    private static final int MARK_AT_ONCE = 500;

    private final EntityManager em;
    private final InstanceEventPublisher publisher;
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    /** Acknowledged by the broker, not yet marked sent. */
    private final Queue<Long> acknowledged = new ConcurrentLinkedQueue<>();
    private final ExecutorService acknowledgements =
            Executors.newSingleThreadExecutor(r -> new Thread(r, "outbox-acknowledgements"));
    private ScheduledExecutorService timer;
    private volatile Instant startedAt;

    public OutboxRelay(EntityManager em, InstanceEventPublisher publisher) {
        this.em = em;
        this.publisher = publisher;
    }

    void start(@Observes StartupEvent event) {
        startedAt = Instant.now();
        timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "outbox-relay"));
        timer.scheduleWithFixedDelay(this::sendStale, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
        acknowledgements.shutdown();
    }

    /** Sends one event now and marks it sent; throws if the broker did not acknowledge it. */
    public void send(long id) throws Exception {
        OutboxRow row = QuarkusTransaction.requiringNew().call(() -> em.find(OutboxRow.class, id));
        if (row == null || row.sentAt != null) {
            return;
        }
        publisher.publish(EventJson.read(row.payload, InstanceIngested.class));
        markSent(List.of(id));
    }

    /**
     * Sends a just-committed event without waiting for the broker: it is marked sent when the
     * broker acknowledges it; if it never is, the periodic pass sends it again. At most
     * {@link #IN_FLIGHT} events wait for their acknowledgement at once (the caller blocks beyond).
     */
    public void sendAsync(long id, InstanceIngested event) throws InterruptedException {
        inFlight.acquire();
        CompletableFuture<Void> acked;
        try {
            acked = publisher.publishAsync(event);
        } catch (RuntimeException e) {
            inFlight.release();
            LOG.warnf("announcement of %s deferred to the outbox relay: %s", event.instanceId(), e.getClass().getSimpleName());
            return;
        }
        acked.whenComplete((ok, failure) -> {
            inFlight.release();
            if (failure != null) {
                LOG.warnf("announcement of %s deferred to the outbox relay: %s", event.instanceId(),
                        failure.getClass().getSimpleName());
                return;
            }
            // Not on the broker client's thread: it must not wait for the database. Marked in
            // bulk: whatever was acknowledged meanwhile goes into one transaction.
            acknowledged.add(id);
            acknowledgements.execute(this::markAcknowledgedSent);
        });
    }

    private void markAcknowledgedSent() {
        List<Long> ids = new ArrayList<>();
        for (Long id; ids.size() < MARK_AT_ONCE && (id = acknowledged.poll()) != null; ) {
            ids.add(id);
        }
        if (!ids.isEmpty()) {
            markSent(ids);
        }
    }

    private void markSent(List<Long> ids) {
        try {
            QuarkusTransaction.requiringNew().run(() -> em.createQuery(
                    "update OutboxRow o set o.sentAt = :now where o.id in :ids and o.sentAt is null")
                    .setParameter("now", Instant.now()).setParameter("ids", ids).executeUpdate());
        } catch (RuntimeException e) {
            // The events are on the broker; at worst the periodic pass sends them once more.
            LOG.warnf("outbox: could not mark %d event(s) sent: %s", ids.size(), e.getClass().getSimpleName());
        }
    }

    /** Unsent events from before this process started, or older than the grace period. */
    void sendStale() {
        try {
            Instant cutoff = Instant.now().minus(GRACE);
            Instant before = startedAt.isAfter(cutoff) ? startedAt : cutoff;
            List<Long> ids = QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                    "select o.id from OutboxRow o where o.sentAt is null and o.createdAt < :before order by o.id", Long.class)
                    .setParameter("before", before).setMaxResults(500).getResultList());
            int sent = 0;
            for (long id : ids) {
                send(id);
                sent++;
            }
            if (sent > 0) {
                LOG.infof("outbox: re-sent %d event(s) that had not been acknowledged", sent);
            }
        } catch (Exception e) {
            LOG.warnf("outbox: events still unsent (%s); retrying in %ds", e.getClass().getSimpleName(), PERIOD.toSeconds());
        }
    }

    /** Events not yet acknowledged (health, tests). */
    public long unsent() {
        return QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                "select count(o) from OutboxRow o where o.sentAt is null", Long.class).getSingleResult());
    }
}
