package io.medssl.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.medssl.contracts.InstanceIngested;
import io.medssl.dicom.ImageObjectWriter;
import io.medssl.dicom.SyntheticImage;
import io.medssl.ingest.deid.Pseudonymizer;
import io.medssl.ingest.index.IndexSearch;
import io.medssl.ingest.index.ReceivedRow;
import io.medssl.kafka.KafkaBrokerTestResource;
import io.medssl.storage.BlobStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * What a crash between accepting and processing leaves is processed afterwards: an fsync'ed
 * original with a committed {@code received} row (STOW-RS, or a journaled object already
 * settled) by the next pass; an object only in the accept journal (the DICOM node's Success)
 * once the journal hands it back at start. Either way: decoded, de-identified, indexed into the
 * dataset it was accepted for, and nothing left pending.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
class InstanceProcessorTest {
    @Inject
    InstanceProcessor processor;

    @Inject
    InstanceIndex index;

    @Inject
    Pseudonymizer pseudonyms;

    @Inject
    BlobStore store;

    @Inject
    EntityManager em;

    @ConfigProperty(name = "medssl.storage.root")
    Path storageRoot;

    @Inject
    IngestService ingest;

    @Inject
    InstanceClaims claims;

    /** A small CT no other test sends (the test application, and its index, are shared); returns its SOP Instance UID. */
    private String writeFreshCt(Path file) throws Exception {
        String uid = freshUid();
        writeCt(file, uid, 32);
        return uid + ".3";
    }

    private static String freshUid() {
        return "2.25." + new java.math.BigInteger(96, new java.util.Random(System.nanoTime()));
    }

    /** {@link #writeCt(Path, String, int)} into a new file. */
    private Path ct(String name, String uid, int size) throws Exception {
        Path file = Files.createTempFile(storageRoot, name, ".dcm");
        writeCt(file, uid, size);
        return file;
    }

    /** A size x size CT whose study, series and instance UIDs are {@code uid} + .1, .2, .3. */
    private static void writeCt(Path file, String uid, int size) throws Exception {
        writeCt(file, uid, size, "");
    }

    private static void writeCt(Path file, String uid, int size, String accession) throws Exception {
        short[] hu = new short[size * size];
        for (int i = 0; i < hu.length; i++) {
            hu[i] = (short) (i % size * 40 - 600);
        }
        ImageObjectWriter.writeCt(new SyntheticImage("CRASH^TEST", "CRASH-1", "19700101", "O", uid + ".1", uid + ".2",
                uid + ".3", accession, "20260101", "120000", "CRASH TEST", size, size, hu, 1.0, 40, 400), file);
    }

    private long announcements(String instanceId) {
        return QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                "select count(o) from OutboxRow o where o.eventKey = :id", Long.class).setParameter("id", instanceId)
                .getSingleResult());
    }

    /**
     * A fresh CT as an earlier process left it: its original stored under {@code originalKey}, a
     * {@code received} row from an hour ago, not processed. Returns its instance pseudonym.
     */
    private String acceptedAnHourAgo(java.util.function.UnaryOperator<String> originalKey, String dataset, String callingAe)
            throws Exception {
        Path original = Files.createTempFile(storageRoot, "accepted", ".dcm");
        String instanceId = pseudonyms.uid(writeFreshCt(original));
        store.putFile(originalKey.apply(instanceId), original);
        QuarkusTransaction.requiringNew().run(() -> {
            ReceivedRow row = new ReceivedRow();
            row.instanceId = instanceId;
            row.dataset = dataset;
            row.callingAe = callingAe;
            row.receivedAt = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
            em.persist(row);
        });
        return instanceId;
    }

    private Optional<InstanceIngested> awaitRows(String instanceId, int rows) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Optional<InstanceIngested> indexed = index.find(instanceId);
        while (indexed.map(i -> i.rows() != rows).orElse(true) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            indexed = index.find(instanceId);
        }
        return indexed;
    }

    private Optional<InstanceIngested> awaitIndexed(String instanceId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Optional<InstanceIngested> indexed = index.find(instanceId);
        while (indexed.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            indexed = index.find(instanceId);
        }
        return indexed;
    }

    @Test
    void anObjectOnlyInTheAcceptJournalIsSettledAndProcessedWhenHandedBack() throws Exception {
        Path incoming = Files.createTempFile(storageRoot, "journaled", ".dcm");
        String instanceId = pseudonyms.uid(writeFreshCt(incoming));
        // What the DICOM node does before answering Success — and nothing after it, as if the
        // process died right then: the object is in the journal only.
        IngestService.Outcome outcome = ingest.acceptJournaled(incoming, null, "JOURNALED", "journaled");
        assertThat(outcome.stored()).isTrue();
        assertThat(outcome.journaled()).isNotNull();
        assertThat(incoming).doesNotExist();
        assertThat(store.exists(InstanceKeys.original(instanceId))).isFalse();
        assertThat(index.received(instanceId)).isEmpty();
        // Indexed before the answer, from its header: searches find it; it has no event or array yet.
        assertThat(index.find(instanceId)).isEmpty();
        assertThat(searched(instanceId)).extracting(InstanceIngested::dataset, InstanceIngested::rows, InstanceIngested::pixelKey)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("journaled", 32, null));
        Instant acceptedAt = searched(instanceId).get(0).ingestedAt();
        assertThat(acceptedAt).isBetween(Instant.now().minusSeconds(60), Instant.now());

        // At start the journal hands back its unsettled entries and the processor takes them.
        processor.submit(outcome.journaled());

        Optional<InstanceIngested> indexed = awaitIndexed(instanceId);
        assertThat(indexed).as("settled and processed").isPresent();
        assertThat(indexed.get().dataset()).isEqualTo("journaled");
        assertThat(indexed.get().decodable()).isTrue();
        assertThat(searched(instanceId)).extracting(InstanceIngested::pixelKey).containsExactly(indexed.get().pixelKey());
        assertThat(indexed.get().ingestedAt()).as("received when accepted").isEqualTo(acceptedAt);
        assertThat(announcements(instanceId)).as("announced once processed, though indexed before").isEqualTo(1);
        assertThat(store.exists(InstanceKeys.original(instanceId))).isTrue();
        assertThat(storageRoot.resolve(indexed.get().deidentifiedKey())).isRegularFile();
        assertThat(index.received(instanceId)).isEmpty();
    }

    /** What a search (QIDO-RS) finds of the instance, processed or only accepted. */
    private List<InstanceIngested> searched(String instanceId) {
        return index.findInstances(List.of(new IndexSearch.Criterion(IndexSearch.Key.SOP_INSTANCE_UID, instanceId)), false, 0, 2)
                .stream().map(InstanceIndex.Entry::instance).toList();
    }

    @Test
    void anAcceptedObjectThatCanNoLongerBeReadLeavesNoIndexRowBehind() throws Exception {
        String instanceId = acceptedAnHourAgo(InstanceKeys::original, "unreadable", "BROKEN");
        index.indexAccepted(new InstanceIngested(InstanceIngested.SCHEMA_VERSION, instanceId, "study-" + instanceId,
                "series-" + instanceId, "patient", "unreadable", "CT", null, "1.2.840.10008.5.1.4.1.1.2", 32, 32, 1, null, false,
                null, Instant.now(), null), null);
        assertThat(searched(instanceId)).hasSize(1);
        // The stored original changed under the service: processing can no longer read it.
        Files.writeString(store.localPath(InstanceKeys.original(instanceId)), "no longer DICOM");

        processor.rescan();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (index.received(instanceId).isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(index.received(instanceId)).as("given up").isEmpty();
        assertThat(searched(instanceId)).as("not found as accepted any more").isEmpty();
        assertThat(store.exists(InstanceKeys.original(instanceId))).as("the original is kept").isTrue();
    }

    @Test
    void anObjectAcceptedBeforeACrashIsProcessedByTheNextPass() throws Exception {
        // Accepted by a process that died an hour ago.
        String instanceId = acceptedAnHourAgo(InstanceKeys::original, "recovered", "CRASHED");
        assertThat(index.find(instanceId)).isEmpty();

        processor.rescan();

        Optional<InstanceIngested> indexed = awaitIndexed(instanceId);
        assertThat(indexed).as("processed after the pass").isPresent();
        InstanceIngested event = indexed.get();
        assertThat(event.dataset()).isEqualTo("recovered");
        assertThat(event.decodable()).isTrue();
        assertThat(storageRoot.resolve(event.pixelKey())).isRegularFile();
        assertThat(storageRoot.resolve(event.deidentifiedKey())).isRegularFile();
        assertThat(index.received(instanceId)).isEmpty();
    }

    @Test
    void aResendArrivingRightBehindItsFirstVersionEndsUpAsTheIndexedContent() throws Exception {
        String uid = freshUid();
        String instanceId = pseudonyms.uid(uid + ".3");
        Path first = ct("first", uid, 32);
        Path resent = ct("resent", uid, 16);
        // Both journaled before the processor sees either: they would fall into one batch.
        IngestService.Outcome a = ingest.acceptJournaled(first, null, "RESEND", "resend");
        IngestService.Outcome b = ingest.acceptJournaled(resent, null, "RESEND", "resend");
        processor.submit(a.journaled());
        processor.submit(b.journaled());

        Optional<InstanceIngested> indexed = awaitRows(instanceId, 16);
        assertThat(indexed).as("the resend's content is indexed last").isPresent();
        assertThat(indexed.get().rows()).isEqualTo(16);
        // Changed content is announced again: once per version.
        assertThat(announcements(instanceId)).isEqualTo(2);
        try (var in = Files.newInputStream(storageRoot.resolve(indexed.get().pixelKey()))) {
            assertThat(io.medssl.imaging.Npy.read(in).shape()).containsExactly(1, 16, 16);
        }
    }

    @Test
    void aBatchRecordedButNotYetDurableIsProcessedAgainAfterACrashWithoutASecondAnnouncement() throws Exception {
        Path incoming = Files.createTempFile(storageRoot, "uncheckpointed", ".dcm");
        String instanceId = pseudonyms.uid(writeFreshCt(incoming));
        IngestService.Outcome outcome = ingest.acceptJournaled(incoming, null, "UNSYNCED", "unsynced");
        // The processor's first two steps, then a crash: recorded and announced, but the index
        // never synced and the journal entry never settled (the checkpoint did not run).
        IngestService.Prepared prepared = ingest.prepareJournaled(outcome.journaled());
        assertThat(ingest.commit(java.util.List.of(prepared))).singleElement()
                .satisfies(p -> assertThat(p.announcement()).isPresent());
        Files.delete(storageRoot.resolve(prepared.derived().event().pixelKey())); // to see the replay write it again

        // After the restart the journal hands the entry back.
        processor.submit(outcome.journaled());

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Path pixels = storageRoot.resolve(prepared.derived().event().pixelKey());
        while (!Files.exists(pixels) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(pixels).as("written again").isRegularFile();
        assertThat(index.find(instanceId)).isPresent();
        assertThat(announcements(instanceId)).as("an identical resend is not announced twice").isEqualTo(1);
    }

    @Test
    void anObjectTheDatabaseRefusesDoesNotHoldUpTheOthersInItsBatch() throws Exception {
        String good = "2.25." + new java.math.BigInteger(96, new java.util.Random(System.nanoTime()));
        String bad = "2.25." + new java.math.BigInteger(96, new java.util.Random(System.nanoTime() + 1));
        Path goodFile = Files.createTempFile(storageRoot, "good", ".dcm");
        Path badFile = Files.createTempFile(storageRoot, "refused", ".dcm");
        writeCt(goodFile, good, 16);
        // An AccessionNumber far beyond SH's 16 characters: its pseudonym entry does not fit the
        // database's column, so recording this object fails every time.
        writeCt(badFile, bad, 16, "A".repeat(300));
        String goodId = pseudonyms.uid(good + ".3");
        String badId = pseudonyms.uid(bad + ".3");
        IngestService.Outcome refused = ingest.acceptJournaled(badFile, null, "POISON", "poison");
        IngestService.Outcome fine = ingest.acceptJournaled(goodFile, null, "POISON", "poison");
        assertThat(refused.stored()).isTrue();
        processor.submit(refused.journaled());
        processor.submit(fine.journaled());

        assertThat(awaitIndexed(goodId)).as("the object behind it is processed").isPresent();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (index.received(badId).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(index.received(badId)).as("the refused one is kept, to be retried on its own").isPresent();
        assertThat(store.exists(InstanceKeys.original(badId))).isTrue();
        assertThat(index.find(badId)).isEmpty();
    }

    @Test
    void anObjectThatKeepsFailingIsTriedAgainLessAndLessOften() throws Exception {
        String bad = freshUid();
        Path badFile = Files.createTempFile(storageRoot, "failing", ".dcm");
        writeCt(badFile, bad, 16, "B".repeat(300)); // refused by the database every time, as above
        String badId = pseudonyms.uid(bad + ".3");
        processor.submit(ingest.acceptJournaled(badFile, null, "FAILING", "failing").journaled());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (index.received(badId).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(index.received(badId)).as("kept, to be retried on its own").isPresent();
        // Accepted an hour ago: every pass would take it again, were it not for its wait.
        QuarkusTransaction.requiringNew().run(() -> em.find(ReceivedRow.class, badId).receivedAt =
                Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS));

        processor.submit(badId);
        awaitFailures(badId, 1);
        // The periodic pass may have taken it at the same moment (it was due until it failed):
        // let such a second try end before looking.
        Thread.sleep(500);
        RetrySchedule.Attempts first = processor.retryOf(badId).orElseThrow();
        assertThat(first.notBefore()).isAfter(Instant.now().plus(InstanceProcessor.RESCAN).minusSeconds(3));

        processor.rescan();
        Thread.sleep(1_000);
        assertThat(processor.retryOf(badId)).as("not taken again while its wait runs").contains(first);
        assertThat(processor.failing()).isPositive();

        // Tried again anyway (as once the wait is over): it fails again and waits twice as long.
        processor.submit(badId);
        RetrySchedule.Attempts second = awaitFailures(badId, first.failures() + 1);
        Instant failedAt = Instant.now();
        Duration twiceTheWait = InstanceProcessor.RESCAN.multipliedBy(2L << (first.failures() - 1));
        assertThat(Duration.between(failedAt, second.notBefore()))
                .isGreaterThan(twiceTheWait.minusSeconds(3))
                .isLessThanOrEqualTo(twiceTheWait);
        assertThat(index.received(badId)).as("still kept").isPresent();
        assertThat(index.find(badId)).isEmpty();
    }

    private RetrySchedule.Attempts awaitFailures(String instanceId, int failures) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (processor.retryOf(instanceId).map(a -> a.failures() < failures).orElse(true) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(processor.retryOf(instanceId)).as("failed %d time(s)", failures).isPresent();
        assertThat(processor.retryOf(instanceId).get().failures()).isEqualTo(failures);
        return processor.retryOf(instanceId).get();
    }

    @Test
    void anInstanceIsNeverProcessedByTheJournalAndAReceivedRowAtOnce() throws Exception {
        String uid = freshUid();
        String instanceId = pseudonyms.uid(uid + ".3");
        Path journaled = ct("dimse", uid, 32);
        Path stowed = ct("stow", uid, 16);

        // Someone else processes the instance: its journaled object waits.
        claims.claim(instanceId);
        try {
            processor.submit(ingest.acceptJournaled(journaled, null, "BOTH", "both").journaled());
            Thread.sleep(1_500);
            assertThat(index.find(instanceId)).as("not recorded while the instance is held elsewhere").isEmpty();
            assertThat(searched(instanceId)).as("only indexed as accepted").extracting(InstanceIngested::pixelKey)
                    .containsOnlyNulls().hasSize(1);
        } finally {
            claims.release(instanceId);
        }
        assertThat(awaitRows(instanceId, 32)).as("recorded once free").isPresent();

        // And the other way: processing from a received row (STOW-RS) waits for a holder too.
        claims.claim(instanceId);
        java.util.concurrent.CompletableFuture<IngestService.Outcome> stow;
        try {
            stow = java.util.concurrent.CompletableFuture.supplyAsync(() -> ingest.ingest(stowed, "STOW"));
            Thread.sleep(1_500);
            assertThat(stow).as("waits while the instance is held").isNotDone();
        } finally {
            claims.release(instanceId);
        }
        assertThat(stow.get(30, java.util.concurrent.TimeUnit.SECONDS).instance().rows()).isEqualTo(16);
        assertThat(index.find(instanceId).get().rows()).isEqualTo(16);
        assertThat(claims.isClaimed(instanceId)).isFalse();
    }

    @Test
    void anOriginalAcceptedByAnEarlierVersionUnderTheFlatLayoutIsStillProcessed() throws Exception {
        String instanceId = acceptedAnHourAgo(InstanceKeys::legacyOriginal, "upgraded", "OLDER");

        processor.rescan();

        Optional<InstanceIngested> indexed = awaitIndexed(instanceId);
        assertThat(indexed).as("processed from the flat original").isPresent();
        assertThat(indexed.get().pixelKey()).isEqualTo(InstanceKeys.pixels(instanceId));
        assertThat(storageRoot.resolve(indexed.get().pixelKey())).isRegularFile();
        assertThat(index.received(instanceId)).isEmpty();
    }
}
