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
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Works through accepted instances in the background, so the DICOM node answers as soon as an
 * object is durable and a sender's association is never held up by decoding. What the node
 * journaled is processed in batches straight from the accept journal: each object of a batch is
 * prepared in parallel (original into storage, pixels decoded, de-identified copy — each file
 * synced before it is named, so the index and the events only ever name files on the device),
 * the batch is recorded in one transaction and announced, and then, off the path, its index rows
 * are made durable before its journal entries are settled; a crash before that hands the entries
 * back at the next start. Batches are taken in order of arrival
 * and never hold two objects of one instance, so a resend's newer content always wins; an object
 * that fails on its own leaves its batch for the {@code received} table. Objects accepted
 * otherwise (STOW-RS leftovers) wait there too, and a periodic pass picks them up
 * ({@link IngestService#process(String)}). On a small machine decoding
 * and receiving compete for the same cores, so while a sender is being served processing waits,
 * up to a bounded backlog ({@code medssl.processing.yield-while-receiving-up-to}). Logs
 * progress (rate, backlog, ETA) while busy.
 */
@ApplicationScoped
public class InstanceProcessor {
    private static final Logger LOG = Logger.getLogger(InstanceProcessor.class);
    static final Duration RESCAN = Duration.ofSeconds(10);
    /** Received rows younger than this are the node's own submissions, not leftovers. */
    static final Duration GRACE = Duration.ofSeconds(30);
    private static final Duration CHECKPOINT_AT_STOP = Duration.ofSeconds(10);
    private static final int RESCAN_BATCH = 10_000;
    private static final Duration YIELD_POLL = Duration.ofMillis(20);
    /** The longest wait between two tries of an instance that keeps failing. */
    static final Duration LONGEST_RETRY_WAIT = Duration.ofHours(1);

    private final IngestService ingest;
    private final InstanceIndex index;
    private final OutboxRelay relay;
    private final IngestConfig config;
    /** Looked up lazily: the node submits to this processor, and this processor asks the node whether it is busy. */
    private final Instance<DicomNode> node;
    private final Journal journal;
    private final InstanceClaims claims;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    /** Instances whose processing failed: tried again after a growing wait. */
    private final RetrySchedule retries = new RetrySchedule(RESCAN, LONGEST_RETRY_WAIT);
    /** Journaled objects submitted and not yet processed (recorded and announced). */
    private final AtomicInteger journaled = new AtomicInteger();
    private final AtomicLong processed = new AtomicLong();
    /** Journaled objects in order of arrival, waiting for a batch. */
    private final BlockingQueue<Journal.Entry> arrivals = new LinkedBlockingQueue<>();
    /** Committed batches whose journal entries wait for their index rows to be synced. */
    private final BlockingQueue<List<IngestService.Prepared>> uncheckpointed = new LinkedBlockingQueue<>();
    /** Set when a checkpoint failed: from then on entries stay in the journal until the next start. */
    private volatile boolean settlingStopped;
    /** The entry the last batch stopped before (a second object of an instance in that batch). */
    private Journal.Entry carried;
    private ExecutorService workers;
    private Thread batcher;
    private ExecutorService checkpointer;
    private ScheduledExecutorService timer;
    private volatile Instant startedAt = Instant.now();
    private long processedAtLastReport;

    public InstanceProcessor(IngestService ingest, InstanceIndex index, OutboxRelay relay, IngestConfig config,
                             Instance<DicomNode> node, Journal journal, InstanceClaims claims) {
        this.ingest = ingest;
        this.claims = claims;
        this.journal = journal;
        this.index = index;
        this.relay = relay;
        this.config = config;
        this.node = node;
    }

    /** Before the DICOM node starts (its default priority is later): what it journals is submitted here. */
    void start(@Observes @Priority(Interceptor.Priority.APPLICATION) StartupEvent event) {
        startedAt = Instant.now();
        int configured = config.processing().workers();
        int count = configured > 0 ? configured : 3 * Runtime.getRuntime().availableProcessors();
        workers = Executors.newFixedThreadPool(count, r -> {
            Thread t = new Thread(r, "instance-processor");
            t.setDaemon(true);
            return t;
        });
        // One thread forms and commits batches, so journaled objects are recorded in the order
        // they were received; a second one makes committed batches' rows durable and settles their entries.
        checkpointer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "journal-checkpointer");
            t.setDaemon(true);
            return t;
        });
        batcher = new Thread(this::processJournaled, "journal-processor");
        batcher.setDaemon(true);
        batcher.start();
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
        if (batcher != null) {
            // What is left stays in the journal for the next start.
            batcher.interrupt();
        }
        if (workers != null) {
            // What is left stays in the received table (or the journal) for the next start.
            workers.shutdownNow();
        }
        if (checkpointer != null) {
            // Committed batches: worth settling now rather than processing again after the restart.
            checkpointer.shutdown();
            try {
                if (!checkpointer.awaitTermination(CHECKPOINT_AT_STOP.toMillis(), TimeUnit.MILLISECONDS)) {
                    checkpointer.shutdownNow();
                }
            } catch (InterruptedException e) {
                checkpointer.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Queues an accepted instance (no-op when it is queued already). */
    public void submit(String instanceId) {
        if (queued.add(instanceId)) {
            workers.execute(() -> run(instanceId));
        }
    }

    /** Queues a journaled object (processed in a batch, in order of arrival). */
    public void submit(Journal.Entry entry) {
        journaled.incrementAndGet();
        arrivals.add(entry);
    }

    /** Instances accepted and not yet processed (health, tests). */
    public long backlog() {
        return index.pendingCount() + journaled.get();
    }

    /**
     * A batch being prepared on the workers: its entries in order, their preparations, and the
     * instances it holds (the batch prepared alongside must not hold any of them).
     */
    private record Batch(List<Journal.Entry> entries, List<Future<IngestService.Prepared>> preparing, Set<String> instances,
                         long startedNanos) {
    }

    /**
     * The journal-processor thread: batch after batch until stopped. While a batch is committed
     * the next one is already being prepared (the commit runs on this thread, the preparing on the
     * workers), so the cores are not idle while the database works.
     */
    private void processJournaled() {
        try {
            Batch current = null;
            while (!Thread.currentThread().isInterrupted()) {
                if (current == null) {
                    current = prepare(nextBatch());
                }
                List<Journal.Entry> following = followingBatch(current.instances());
                Batch next = following.isEmpty() ? null : prepare(following);
                // Retried in place, not queued for later: the entries behind it wait, so a resent
                // instance's older content can never be recorded after its newer one (and the batch
                // prepared alongside holds none of this one's instances).
                for (long backoff = 1; ; backoff = Math.min(2 * backoff, RESCAN.toSeconds())) {
                    try {
                        finish(current);
                        break;
                    } catch (InterruptedException e) {
                        throw e;
                    } catch (Exception e) {
                        LOG.warnf("processing a batch of %d journaled object(s) failed, retrying in %d s (later ones wait): %s",
                                current.entries().size(), backoff, e.getClass().getSimpleName());
                        Thread.sleep(TimeUnit.SECONDS.toMillis(backoff));
                        current = submitToWorkers(current.entries(), current.instances());
                    }
                }
                claims.releaseAll(current.instances());
                current = next;
            }
        } catch (InterruptedException e) {
            // Stopping: what was not committed stays in the journal for the next start.
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the next object, then takes what else has arrived, up to the batch size, never two of one instance. */
    private List<Journal.Entry> nextBatch() throws InterruptedException {
        Journal.Entry first = carried != null ? carried : arrivals.take();
        carried = null;
        yieldToReceiving();
        return fill(first, Set.of());
    }

    /**
     * A batch of what has arrived already, to prepare while the current batch ({@code busy}: its
     * instances) is committed: empty when nothing waits, when receiving comes first, or when the
     * next object is of an instance in the current batch (it waits for the commit).
     */
    private List<Journal.Entry> followingBatch(Set<String> busy) {
        if (receivingComesFirst()) {
            return List.of();
        }
        Journal.Entry first = carried != null ? carried : arrivals.poll();
        carried = null;
        if (first == null) {
            return List.of();
        }
        if (busy.contains(instanceOf(first))) {
            carried = first;
            return List.of();
        }
        return fill(first, busy);
    }

    /** {@code first} and what else has arrived, up to the batch size; stops before an instance it or {@code busy} holds. */
    private List<Journal.Entry> fill(Journal.Entry first, Set<String> busy) {
        List<Journal.Entry> batch = new ArrayList<>(List.of(first));
        Set<String> instances = new HashSet<>();
        instances.add(instanceOf(first));
        int limit = Math.max(1, config.processing().batchSize());
        Journal.Entry next;
        while (batch.size() < limit && (next = arrivals.poll()) != null) {
            String instance = instanceOf(next);
            if (busy.contains(instance) || !instances.add(instance)) {
                carried = next;
                break;
            }
            batch.add(next);
        }
        return batch;
    }

    private String instanceOf(Journal.Entry entry) {
        try {
            return ingest.journaledInstanceId(entry);
        } catch (IOException e) {
            // Written by this service: unreadable meta means a bug, not bad input. A unique name
            // lets it into a batch; preparing and deferring it fail, so that batch is retried
            // (logged every time) and the entry stays in the journal.
            return "unreadable:" + entry.sequence() + ":" + entry.offset();
        }
    }

    /**
     * Claims the batch's instances (held until it is recorded: waits while one is processed from
     * a {@code received} row) and hands each object to a worker.
     */
    private Batch prepare(List<Journal.Entry> entries) throws InterruptedException {
        Set<String> instances = new HashSet<>();
        for (Journal.Entry entry : entries) {
            instances.add(instanceOf(entry));
        }
        claims.claimAll(instances);
        return submitToWorkers(entries, instances);
    }

    private Batch submitToWorkers(List<Journal.Entry> entries, Set<String> instances) {
        List<Future<IngestService.Prepared>> preparing = new ArrayList<>(entries.size());
        for (Journal.Entry entry : entries) {
            preparing.add(workers.submit(() -> ingest.prepareJournaled(entry)));
        }
        return new Batch(entries, preparing, instances, System.nanoTime());
    }

    /** Waits for the batch's objects to be prepared, records them, hands them to the checkpointer and announces them. */
    private void finish(Batch batch) throws Exception {
        List<Journal.Entry> entries = batch.entries();
        List<IngestService.Prepared> prepared = new ArrayList<>(entries.size());
        List<Journal.Entry> deferred = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            try {
                prepared.add(batch.preparing().get(i).get());
            } catch (ExecutionException e) {
                LOG.warnf("processing a journaled object failed (%s): kept, and retried on its own",
                        e.getCause().getClass().getSimpleName());
                deferred.add(entries.get(i));
            }
        }
        long t1 = System.nanoTime();
        List<IngestService.Prepared> committed = new ArrayList<>(prepared.size());
        List<IngestService.Processed> done = commit(prepared, committed, deferred);
        List<IngestService.Prepared> toSettle = new ArrayList<>(committed);
        for (Journal.Entry entry : deferred) {
            // Throws when storage or the database are down: then the whole batch is retried.
            ingest.defer(entry);
            // Settled by the checkpointer, in order: an earlier entry of the same instance still
            // waiting there must not come back after a crash and replace this one's original.
            toSettle.add(ingest.deferred(entry));
        }
        LOG.debugf("batch of %d: prepared after %d ms, committed in %d ms", entries.size(),
                (t1 - batch.startedNanos()) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
        journaled.addAndGet(-entries.size());
        processed.addAndGet(committed.size());
        uncheckpointed.add(toSettle);
        try {
            checkpointer.execute(this::checkpoint);
        } catch (RejectedExecutionException stopping) {
            // The entries stay unsettled: the next start processes them again (not announced twice).
        }
        for (IngestService.Processed p : done) {
            if (p.announcement().isPresent()) {
                // Bounded in flight; an interrupt (stopping) leaves the rest to the outbox relay.
                relay.sendAsync(p.announcement().get(), p.event());
            }
        }
    }

    /**
     * Records the batch in one transaction; if the database refuses it, one object at a time, so
     * an object it refuses on its own (into {@code deferred}) does not hold up the others. Fills
     * {@code committed} with what was recorded.
     */
    private List<IngestService.Processed> commit(List<IngestService.Prepared> prepared, List<IngestService.Prepared> committed,
                                                 List<Journal.Entry> deferred) {
        try {
            List<IngestService.Processed> done = ingest.commit(prepared);
            committed.addAll(prepared);
            return done;
        } catch (RuntimeException batchRefused) {
            List<IngestService.Processed> done = new ArrayList<>();
            for (IngestService.Prepared p : prepared) {
                try {
                    done.addAll(ingest.commit(List.of(p)));
                    committed.add(p);
                } catch (RuntimeException refused) {
                    LOG.warnf("recording a journaled object failed (%s): kept, and retried on its own",
                            refused.getClass().getSimpleName());
                    deferred.add(p.entry());
                }
            }
            return done;
        }
    }

    /** Makes every committed batch waiting durable in the index (one round for all) and settles their journal entries. */
    private void checkpoint() {
        List<List<IngestService.Prepared>> batches = new ArrayList<>();
        uncheckpointed.drainTo(batches);
        if (batches.isEmpty()) {
            return;
        }
        if (settlingStopped) {
            return;
        }
        List<IngestService.Prepared> all = batches.stream().flatMap(List::stream).toList();
        long t0 = System.nanoTime();
        try {
            ingest.checkpoint(batches);
            LOG.debugf("checkpoint of %d: durable and settled in %d ms", all.size(), (System.nanoTime() - t0) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            // Not retried: after a failed sync (the database's, the settled notes') Linux may have
            // dropped the dirty pages and a second one would report success for data that is gone.
            // The entries stay unsettled, so the next start processes them again from the journal
            // and rewrites everything. Nothing later is settled either: a later entry of the same
            // instance must not outlive this one.
            settlingStopped = true;
            LOG.errorf("making %d processed object(s) durable failed (%s): journal entries are no longer settled until"
                    + " a restart, which processes them again (check the storage device)", all.size(), e.getClass().getSimpleName());
        }
    }

    private void run(String instanceId) {
        try {
            yieldToReceiving();
            queued.remove(instanceId);
            Optional<IngestService.Processed> done = ingest.process(instanceId);
            retries.succeeded(instanceId);
            if (done.isPresent() && done.get().announcement().isPresent()) {
                relay.sendAsync(done.get().announcement().get(), done.get().event());
            }
            processed.incrementAndGet();
        } catch (InterruptedException e) {
            queued.remove(instanceId);
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Still in the received table: a later pass retries it, once its wait is over.
            RetrySchedule.Attempts attempts = retries.failed(instanceId, Instant.now());
            LOG.warnf("processing of %s failed (%d time(s) in a row), retrying in %d s: %s", instanceId, attempts.failures(),
                    retries.delayAfter(attempts.failures()).toSeconds(), e.getClass().getSimpleName());
        }
    }

    /** How often the instance's processing failed in a row and when it is tried next; empty if it is not failing. */
    Optional<RetrySchedule.Attempts> retryOf(String instanceId) {
        return retries.attempts(instanceId);
    }

    /** Accepted instances whose processing failed and waits to be tried again (health). */
    public int failing() {
        return retries.size();
    }

    /** Waits while a sender is being served and the backlog is small (see {@code yield-while-receiving-up-to}). */
    private void yieldToReceiving() throws InterruptedException {
        while (receivingComesFirst()) {
            Thread.sleep(YIELD_POLL.toMillis());
        }
    }

    private boolean receivingComesFirst() {
        int limit = config.processing().yieldWhileReceivingUpTo();
        return limit > 0 && queued.size() + journaled.get() < limit && node.get().activeAssociations() > 0;
    }

    /** Leftovers (from before this start, or failed) back into the queue; and a progress line while busy. */
    void rescan() {
        try {
            Instant cutoff = Instant.now().minus(GRACE);
            Instant before = startedAt.isAfter(cutoff) ? startedAt : cutoff;
            Instant now = Instant.now();
            int requeued = 0;
            List<InstanceIndex.Received> pending = index.pending(RESCAN_BATCH);
            for (InstanceIndex.Received r : pending) {
                if (r.receivedAt().isBefore(before) && !queued.contains(r.instanceId()) && retries.due(r.instanceId(), now)) {
                    submit(r.instanceId());
                    requeued++;
                }
            }
            if (pending.size() < RESCAN_BATCH) {
                // Processed meanwhile (e.g. a resend went through the journal): nothing to wait for.
                retries.retainOnly(pending.stream().map(InstanceIndex.Received::instanceId).collect(Collectors.toSet()));
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
        int failing = retries.size();
        LOG.infof("processing: %d instances in the last %d s (%.1f/s), %d waiting%s, ETA %s", recent, RESCAN.toSeconds(), rate,
                waiting, failing > 0 ? " (" + failing + " failed, tried again later)" : "", eta);
    }
}
