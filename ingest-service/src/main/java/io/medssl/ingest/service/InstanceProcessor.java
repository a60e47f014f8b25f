package io.medssl.ingest.service;

import io.medssl.ingest.config.IngestConfig;
import io.medssl.ingest.dimse.DicomNode;
import io.medssl.ingest.messaging.OutboxRelay;
import io.medssl.storage.Journal;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Works through accepted instances in the background ({@link IngestService#process(String)}),
 * so the DICOM node answers as soon as an object is durable and a sender's association is never
 * held up by decoding. What the node journaled is first settled into storage and the database's
 * {@code received} table ({@link IngestService#settle}); that table is the queue: what is
 * accepted is submitted at once; what was left by a restart (unsettled journal entries
 * included), or failed (storage or database trouble), is picked up again by a periodic pass. On
 * a small machine decoding and receiving compete for the same cores, so while a sender is being
 * served processing waits, up to a bounded backlog
 * ({@code medssl.processing.yield-while-receiving-up-to}). Logs progress (rate, backlog, ETA)
 * while busy.
 */
@ApplicationScoped
public class InstanceProcessor {
    private static final Logger LOG = Logger.getLogger(InstanceProcessor.class);
    static final Duration RESCAN = Duration.ofSeconds(10);
    /** Received rows younger than this are the node's own submissions, not leftovers. */
    static final Duration GRACE = Duration.ofSeconds(30);
    private static final int RESCAN_BATCH = 10_000;
    private static final Duration YIELD_POLL = Duration.ofMillis(20);

    private final IngestService ingest;
    private final InstanceIndex index;
    private final OutboxRelay relay;
    private final IngestConfig config;
    /** Looked up lazily: the node submits to this processor, and this processor asks the node whether it is busy. */
    private final Instance<DicomNode> node;
    private final Journal journal;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    /** Journaled objects submitted and not yet settled. */
    private final AtomicInteger journaled = new AtomicInteger();
    private final AtomicLong processed = new AtomicLong();
    private ExecutorService workers;
    private ExecutorService settler;
    private ScheduledExecutorService timer;
    private volatile Instant startedAt = Instant.now();
    private long processedAtLastReport;

    public InstanceProcessor(IngestService ingest, InstanceIndex index, OutboxRelay relay, IngestConfig config,
                             Instance<DicomNode> node, Journal journal) {
        this.ingest = ingest;
        this.journal = journal;
        this.index = index;
        this.relay = relay;
        this.config = config;
        this.node = node;
    }

    /** Before the DICOM node starts (its default priority is later): what it journals is submitted here. */
    void start(@Observes @Priority(Interceptor.Priority.APPLICATION) StartupEvent event) {
        startedAt = Instant.now();
        int count = Math.max(1, config.processing().workers());
        workers = Executors.newFixedThreadPool(count, r -> {
            Thread t = new Thread(r, "instance-processor");
            t.setDaemon(true);
            return t;
        });
        // One thread, so journaled objects are settled in the order they were received: a resent
        // instance's newer content always ends up as its original.
        settler = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "journal-settler");
            t.setDaemon(true);
            return t;
        });
        List<Journal.Entry> left = journal.recovered();
        if (!left.isEmpty()) {
            LOG.infof("processing: %d journaled object(s) from before the restart queued again", left.size());
            left.forEach(this::submit);
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "instance-processor-timer"));
        timer.scheduleWithFixedDelay(this::rescan, 0, RESCAN.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
        if (settler != null) {
            // What is left stays in the journal for the next start.
            settler.shutdownNow();
        }
        if (workers != null) {
            // What is left stays in the received table for the next start.
            workers.shutdownNow();
        }
    }

    /** Queues an accepted instance (no-op when it is queued already). */
    public void submit(String instanceId) {
        if (queued.add(instanceId)) {
            workers.execute(() -> run(instanceId));
        }
    }

    /** Queues a journaled object: settled first (in order of arrival), then processed. */
    public void submit(Journal.Entry entry) {
        journaled.incrementAndGet();
        try {
            settler.execute(() -> settle(entry));
        } catch (RejectedExecutionException stopping) {
            // Durable in the journal already: the next start hands it back.
            journaled.decrementAndGet();
        }
    }

    /** Instances accepted and not yet processed (health, tests). */
    public long backlog() {
        return index.pendingCount() + journaled.get();
    }

    private void settle(Journal.Entry entry) {
        String instanceId = null;
        try {
            yieldToReceiving();
            // Retried in place, not queued for later: the entries behind it wait, so a resent
            // instance's older content can never be settled after its newer one.
            for (long backoff = 1; instanceId == null; backoff = Math.min(2 * backoff, RESCAN.toSeconds())) {
                try {
                    instanceId = ingest.settle(entry);
                } catch (Exception e) {
                    LOG.warnf("settling a journaled object failed, retrying in %d s (later ones wait): %s", backoff,
                            e.getClass().getSimpleName());
                    Thread.sleep(TimeUnit.SECONDS.toMillis(backoff));
                }
            }
        } catch (InterruptedException e) {
            // Stopping: the entry stays in the journal for the next start.
            Thread.currentThread().interrupt();
            return;
        } finally {
            journaled.decrementAndGet();
        }
        try {
            submit(instanceId);
        } catch (RejectedExecutionException stopping) {
            queued.remove(instanceId); // its received row is committed: the next start's pass takes it
        }
    }

    private void run(String instanceId) {
        try {
            yieldToReceiving();
            queued.remove(instanceId);
            Optional<IngestService.Processed> done = ingest.process(instanceId);
            if (done.isPresent() && done.get().announcement().isPresent()) {
                relay.sendAsync(done.get().announcement().get(), done.get().event());
            }
            processed.incrementAndGet();
        } catch (InterruptedException e) {
            queued.remove(instanceId);
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Still in the received table: the next pass retries it.
            LOG.warnf("processing of %s failed, retrying in %d s: %s", instanceId, RESCAN.toSeconds(), e.getClass().getSimpleName());
        }
    }

    /** Waits while a sender is being served and the backlog is small (see {@code yield-while-receiving-up-to}). */
    private void yieldToReceiving() throws InterruptedException {
        int limit = config.processing().yieldWhileReceivingUpTo();
        while (limit > 0 && queued.size() + journaled.get() < limit && node.get().activeAssociations() > 0) {
            Thread.sleep(YIELD_POLL.toMillis());
        }
    }

    /** Leftovers (from before this start, or failed) back into the queue; and a progress line while busy. */
    void rescan() {
        try {
            Instant cutoff = Instant.now().minus(GRACE);
            Instant before = startedAt.isAfter(cutoff) ? startedAt : cutoff;
            int requeued = 0;
            for (InstanceIndex.Received r : index.pending(RESCAN_BATCH)) {
                if (r.receivedAt().isBefore(before) && !queued.contains(r.instanceId())) {
                    submit(r.instanceId());
                    requeued++;
                }
            }
            if (requeued > 0) {
                LOG.infof("processing: %d accepted instance(s) left from before (restart or failure) queued again", requeued);
            }
            report();
        } catch (RuntimeException e) {
            LOG.warnf("processing: could not read the received queue (%s); retrying in %d s", e.getClass().getSimpleName(),
                    RESCAN.toSeconds());
        }
    }

    private void report() {
        long total = processed.get();
        long recent = total - processedAtLastReport;
        processedAtLastReport = total;
        long waiting = backlog();
        if (recent == 0 && waiting == 0) {
            return;
        }
        double rate = recent / (double) RESCAN.toSeconds();
        String eta = rate > 0 ? Math.round(waiting / rate) + " s" : "unknown";
        LOG.infof("processing: %d instances in the last %d s (%.1f/s), %d waiting, ETA %s", recent, RESCAN.toSeconds(), rate,
                waiting, eta);
    }
}
