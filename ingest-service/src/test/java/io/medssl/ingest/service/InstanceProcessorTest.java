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
 * What a crash between accepting and processing leaves — an fsync'ed original and a committed
 * {@code received} row, nothing else — is processed by the next pass: decoded, de-identified,
 * indexed into the dataset it was accepted for, and its received row ended.
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

    @Test
    void anObjectAcceptedBeforeACrashIsProcessedByTheNextPass() throws Exception {
        // An object no other test sends (the test application, and its index, are shared).
        String uid = "2.25." + new java.math.BigInteger(96, new java.util.Random(System.nanoTime()));
        short[] hu = new short[32 * 32];
        for (int i = 0; i < hu.length; i++) {
            hu[i] = (short) (i % 32 * 40 - 600);
        }
        Path original = Files.createTempFile(storageRoot, "crash", ".dcm");
        ImageObjectWriter.writeCt(new SyntheticImage("CRASH^TEST", "CRASH-1", "19700101", "O", uid + ".1", uid + ".2",
                uid + ".3", "", "20260101", "120000", "CRASH TEST", 32, 32, hu, 1.0, 40, 400), original);
        String instanceId = pseudonyms.uid(uid + ".3");
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

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Optional<InstanceIngested> indexed = index.find(instanceId);
        while (indexed.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            indexed = index.find(instanceId);
        }
        assertThat(indexed).as("processed after the pass").isPresent();
        InstanceIngested event = indexed.get();
        assertThat(event.dataset()).isEqualTo("recovered");
        assertThat(event.decodable()).isTrue();
        assertThat(storageRoot.resolve(event.pixelKey())).isRegularFile();
        assertThat(storageRoot.resolve(event.deidentifiedKey())).isRegularFile();
        assertThat(index.received(instanceId)).isEmpty();
    }
}
