package io.medssl.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.medssl.contracts.InstanceIngested;
import io.medssl.dicom.ImageObjectWriter;
import io.medssl.dicom.SyntheticImage;
import io.medssl.ingest.deid.Pseudonymizer;
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

    /** A small CT no other test sends (the test application, and its index, are shared); returns its SOP Instance UID. */
    private String writeFreshCt(Path file) throws Exception {
        String uid = "2.25." + new java.math.BigInteger(96, new java.util.Random(System.nanoTime()));
        short[] hu = new short[32 * 32];
        for (int i = 0; i < hu.length; i++) {
            hu[i] = (short) (i % 32 * 40 - 600);
        }
        ImageObjectWriter.writeCt(new SyntheticImage("CRASH^TEST", "CRASH-1", "19700101", "O", uid + ".1", uid + ".2",
                uid + ".3", "", "20260101", "120000", "CRASH TEST", 32, 32, hu, 1.0, 40, 400), file);
        return uid + ".3";
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
        assertThat(store.exists(IngestService.originalKey(instanceId))).isFalse();
        assertThat(index.received(instanceId)).isEmpty();
        assertThat(index.find(instanceId)).isEmpty();

        // At start the journal hands back its unsettled entries and the processor takes them.
        processor.submit(outcome.journaled());

        Optional<InstanceIngested> indexed = awaitIndexed(instanceId);
        assertThat(indexed).as("settled and processed").isPresent();
        assertThat(indexed.get().dataset()).isEqualTo("journaled");
        assertThat(indexed.get().decodable()).isTrue();
        assertThat(store.exists(IngestService.originalKey(instanceId))).isTrue();
        assertThat(storageRoot.resolve(indexed.get().deidentifiedKey())).isRegularFile();
        assertThat(index.received(instanceId)).isEmpty();
    }

    @Test
    void anObjectAcceptedBeforeACrashIsProcessedByTheNextPass() throws Exception {
        Path original = Files.createTempFile(storageRoot, "crash", ".dcm");
        String instanceId = pseudonyms.uid(writeFreshCt(original));
        store.putFile(IngestService.originalKey(instanceId), original);
        QuarkusTransaction.requiringNew().run(() -> {
            ReceivedRow row = new ReceivedRow();
            row.instanceId = instanceId;
            row.dataset = "recovered";
            row.callingAe = "CRASHED";
            // Accepted by a process that died an hour ago.
            row.receivedAt = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
            em.persist(row);
        });
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
}
