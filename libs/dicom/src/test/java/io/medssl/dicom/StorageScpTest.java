package io.medssl.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Drives the node with dcmtk's echoscu/storescu, real peers a hospital would use, and with a raw SCU for protocol corners. */
class StorageScpTest {
    static final Path STORESCU_CFG = Path.of(System.getProperty("test.repo.dir", "../..")).resolve("deploy/local/dcmtk/storescu.cfg");

    @TempDir
    Path dir;

    record Run(int exit, String output) {
    }

    static Run run(String... command) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = p.getInputStream()) {
                return new String(in.readAllBytes());
            } catch (IOException e) {
                return e.toString();
            }
        });
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
        String output = out.get(10, TimeUnit.SECONDS);
        System.out.print(output);
        return new Run(p.exitValue(), output);
    }

    static Run echo(String callingAe, String calledAe, int port) throws Exception {
        return run("echoscu", "-v", "-aet", callingAe, "-aec", calledAe, "127.0.0.1", String.valueOf(port));
    }

    static Run store(String callingAe, String calledAe, int port, Path file) throws Exception {
        return run("storescu", "-v", "-xf", STORESCU_CFG.toString(), "MedSSL", "-aet", callingAe, "-aec", calledAe, "127.0.0.1",
                String.valueOf(port), file.toString());
    }

    static List<Path> filesIn(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return List.of();
        }
        // The node may delete a file while we walk (a refused transfer being cleaned up): list
        // the folder, then look at each name, and treat one that vanished as gone.
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).toList();
        } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException vanished) {
            return filesIn(folder);
        }
    }

    static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void echoAndStoreFromDcmtk() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        List<String> fileNames = new CopyOnWriteArrayList<>();
        try (StorageScp scp = StorageScp.start("MEDSSL", 0, dir.resolve("incoming"), r -> {
            received.add(DicomReader.read(r.file()).sopInstanceUid() + "|" + r.callingAeTitle() + "|" + r.calledAeTitle() + "|"
                    + r.transferSyntaxUid() + "|" + r.sopInstanceUid());
            fileNames.add(r.file().getFileName().toString());
            Files.delete(r.file());
            return StoreResult.stored();
        }, Throwable::printStackTrace)) {
            assertThat(echo("MODALITY", "MEDSSL", scp.port()).exit()).isZero();
            Path ct = Samples.file("CT-JPEGLosslessSV1.dcm");
            assertThat(store("MODALITY", "MEDSSL", scp.port(), ct).exit()).isZero();
            String uid = DicomReader.read(ct).sopInstanceUid();
            assertThat(received).containsExactly(uid + "|MODALITY|MEDSSL|1.2.840.10008.1.2.4.70|" + uid);
            // The incoming file is not named by the original UID (that would put an identifier in paths and logs).
            assertThat(fileNames).singleElement().asString().doesNotContain(uid).endsWith(".dcm");
        }
    }

    @Test
    void aDeflatedObjectArrivesIntact() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        try (StorageScp scp = StorageScp.start("MEDSSL", 0, dir.resolve("incoming"), r -> {
            received.add(DicomReader.read(r.file()).sopInstanceUid());
            Files.delete(r.file());
            return StoreResult.stored();
        }, Throwable::printStackTrace)) {
            Path report = Samples.file("report_dfl");
            assertThat(store("MODALITY", "MEDSSL", scp.port(), report).exit()).isZero();
            assertThat(received).containsExactly(DicomReader.read(report).sopInstanceUid());
        }
    }

    @Test
    void aWrongCalledAeTitleIsRejected() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        try (StorageScp scp = StorageScp.start("MEDSSL", 0, dir.resolve("incoming"), r -> {
            received.add(r.file().toString());
            return StoreResult.stored();
        }, Throwable::printStackTrace)) {
            Run echo = echo("MODALITY", "SOMEONE_ELSE", scp.port());
            assertThat(echo.exit()).isNotZero();
            assertThat(echo.output()).contains("Rejected Permanent").contains("Called AE Title Not Recognized");
            assertThat(received).isEmpty();
        }
    }

    @Test
    void everyConfiguredCalledAeTitleIsAnswered() throws Exception {
        StorageScp.Settings settings = StorageScp.Settings.of("MEDSSL", 0).withHost("127.0.0.1")
                .withCalledAeTitles(Set.of("MEDSSL", "MEDSSL_CHEST"));
        List<String> called = new CopyOnWriteArrayList<>();
        try (StorageScp scp = StorageScp.start(settings, dir.resolve("incoming"), r -> {
            called.add(r.calledAeTitle());
            Files.delete(r.file());
            return StoreResult.stored();
        }, Throwable::printStackTrace)) {
            assertThat(store("MODALITY", "MEDSSL_CHEST", scp.port(), Samples.file("MR2_UNC")).exit()).isZero();
            assertThat(called).containsExactly("MEDSSL_CHEST");
            assertThat(echo("MODALITY", "MEDSSL_NEURO", scp.port()).exit()).isNotZero();
        }
    }

    @Test
    void onlyAllowedCallingAeTitlesMayAssociate() throws Exception {
        StorageScp.Settings settings = StorageScp.Settings.of("MEDSSL", 0).withAllowedCallingAeTitles(Set.of("CT_ROOM_1", "PACS"));
        AtomicInteger calls = new AtomicInteger();
        try (StorageScp scp = StorageScp.start(settings, dir.resolve("incoming"), r -> {
            calls.incrementAndGet();
            Files.delete(r.file());
            return StoreResult.stored();
        }, Throwable::printStackTrace)) {
            Run unknown = echo("UNKNOWN", "MEDSSL", scp.port());
            assertThat(unknown.exit()).isNotZero();
            assertThat(unknown.output()).contains("Rejected Permanent").contains("Calling AE Title Not Recognized");
            Run unknownStore = store("UNKNOWN", "MEDSSL", scp.port(), Samples.file("MR2_UNC"));
            assertThat(unknownStore.exit()).isNotZero();
            assertThat(calls).hasValue(0);
            assertThat(filesIn(dir.resolve("incoming"))).isEmpty();

            assertThat(echo("CT_ROOM_1", "MEDSSL", scp.port()).exit()).isZero();
            assertThat(store("PACS", "MEDSSL", scp.port(), Samples.file("MR2_UNC")).exit()).isZero();
            assertThat(calls).hasValue(1);
        }
    }

    /** The sender learns what the handler answered, with its reason, and nothing stays in the incoming folder. */
    @ParameterizedTest
    @CsvSource({"a700", "a900", "c000"})
    void aRefusingHandlerGivesTheSenderItsStatusAndLeavesNoFile(String hex) throws Exception {
        int status = Integer.parseInt(hex, 16);
        Path incoming = dir.resolve("incoming");
        try (StorageScp scp = StorageScp.start("MEDSSL", 0, incoming,
                r -> StoreResult.failed(status, "refused by the test handler"), Throwable::printStackTrace)) {
            Run send = run("storescu", "-d", "-xf", STORESCU_CFG.toString(), "MedSSL", "-aet", "MODALITY", "-aec", "MEDSSL",
                    "127.0.0.1", String.valueOf(scp.port()), Samples.file("MR2_UNC").toString());
            assertThat(send.output()).contains("DIMSE Status                  : 0x" + hex)
                    .contains("(0000,0902) LO [refused by the test handler]");
            assertThat(send.exit()).as("storescu exits with the status's high byte").isEqualTo(status >> 8);
            assertThat(filesIn(incoming)).isEmpty();
            // The node carries on after a refusal.
            assertThat(echo("MODALITY", "MEDSSL", scp.port()).exit()).isZero();
        }
    }

    @Test
    void aThrowingHandlerIsOutOfResourcesNotASilentHang() throws Exception {
        Path incoming = dir.resolve("incoming");
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        try (StorageScp scp = StorageScp.start("MEDSSL", 0, incoming, r -> {
            throw new IOException("disk on fire");
        }, reported::add)) {
            long start = System.nanoTime();
            Run send = store("MODALITY", "MEDSSL", scp.port(), Samples.file("MR2_UNC"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
            assertThat(send.output()).contains("Received Store Response (Refused: OutOfResources)");
            assertThat(send.exit()).isEqualTo(0xA7);
            assertThat(reported).singleElement().isInstanceOf(IOException.class);
            assertThat(filesIn(incoming)).isEmpty();
        }
    }

    @Test
    void pixelmedsScuSeesTheRefusalToo() throws Exception {
        try (StorageScp scp = StorageScp.start("MEDSSL", 0, dir.resolve("incoming"),
                r -> StoreResult.failed(StoreResult.OUT_OF_RESOURCES, "full"), Throwable::printStackTrace)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> StorageScu.send("127.0.0.1", scp.port(), "MEDSSL", "MODALITY", Samples.file("MR2_UNC")))
                    .isInstanceOf(IOException.class).hasMessageContaining("1 failed");
            assertThat(filesIn(dir.resolve("incoming"))).isEmpty();
        }
    }

    @Test
    void theDataSetMustBeTheOneTheRequestNamed() throws Exception {
        Path incoming = dir.resolve("incoming");
        AtomicInteger calls = new AtomicInteger();
        try (StorageScp scp = StorageScp.start("MEDSSL", 0, incoming, r -> {
            calls.incrementAndGet();
            return StoreResult.stored();
        }, Throwable::printStackTrace);
             RawScu scu = RawScu.connect(scp.port(), "MODALITY", "MEDSSL")) {
            byte[] dataSet = RawScu.minimalDataSet("1.2.3.4.5");
            RawScu.Response r = scu.store("1.2.3.4.999", dataSet);
            assertThat(r.status()).isEqualTo(0xA900);
            assertThat(r.errorComment()).contains("SOP Instance UID");
            assertThat(calls).hasValue(0);
            assertThat(filesIn(incoming)).isEmpty();
            RawScu.Response ok = scu.store("1.2.3.4.5", dataSet);
            assertThat(ok.status()).isZero();
            assertThat(calls).hasValue(1);
        }
    }

    @Test
    void aTransferCutShortLeavesNoFile() throws Exception {
        Path incoming = dir.resolve("incoming");
        AtomicInteger calls = new AtomicInteger();
        try (StorageScp scp = StorageScp.start("MEDSSL", 0, incoming, r -> {
            calls.incrementAndGet();
            return StoreResult.stored();
        }, Throwable::printStackTrace)) {
            try (RawScu scu = RawScu.connect(scp.port(), "MODALITY", "MEDSSL")) {
                scu.beginStore("1.2.3.4.5", RawScu.minimalDataSet("1.2.3.4.5"));
                await("the association", () -> scp.activeAssociations() == 1);
            } // connection dropped mid data set
            await("the partial object to go", () -> {
                try {
                    return filesIn(incoming).isEmpty() && scp.activeAssociations() == 0;
                } catch (IOException e) {
                    return false;
                }
            });
            assertThat(calls).hasValue(0);
        }
    }

    @Test
    void garbageIsAbortedAndTheNodeCarriesOn() throws Exception {
        try (StorageScp scp = StorageScp.start("MEDSSL", 0, dir.resolve("incoming"), r -> StoreResult.stored(), Throwable::printStackTrace)) {
            for (byte[] junk : List.of(
                    new byte[] {0x01, 0, 0, 0, 0, 8, 0, 1, 0, 0, 'M', 'E', 'D', 'S'}, // A-ASSOCIATE-RQ cut short
                    new byte[] {0x04, 0, 0, 0, 0, 2, 0, 0},                            // P-DATA before any association
                    new byte[] {0x01, 0, 0x7f, 0, 0, 0})) {                            // an absurd length
                try (Socket s = new Socket("127.0.0.1", scp.port())) {
                    s.setSoTimeout(10_000);
                    s.getOutputStream().write(junk);
                    s.shutdownOutput();
                    InputStream in = s.getInputStream();
                    assertThat(in.read()).as("an A-ABORT PDU").isEqualTo(0x07);
                }
            }
            assertThat(echo("MODALITY", "MEDSSL", scp.port()).exit()).isZero();
        }
    }

    @Test
    void aSilentConnectionIsDroppedAfterTheIdleTimeout() throws Exception {
        StorageScp.Settings settings = StorageScp.Settings.of("MEDSSL", 0).withIdleTimeout(Duration.ofMillis(500));
        try (StorageScp scp = StorageScp.start(settings, dir.resolve("incoming"), r -> StoreResult.stored(), Throwable::printStackTrace);
             Socket silent = new Socket("127.0.0.1", scp.port())) {
            silent.setSoTimeout(10_000);
            InputStream in = silent.getInputStream();
            assertThat(in.read()).as("an A-ABORT PDU").isEqualTo(0x07);
            in.readNBytes(9);
            assertThat(in.read()).as("then the connection is closed").isEqualTo(-1);
            await("the slot to be free", () -> scp.activeAssociations() == 0);
        }
    }

    /**
     * More callers than slots: the extra one is rejected at once as transient (local limit
     * exceeded) rather than left waiting; once a slot frees up, callers get in again.
     */
    @Test
    void beyondTheAssociationLimitCallersAreRejectedTransiently() throws Exception {
        StorageScp.Settings settings = StorageScp.Settings.of("MEDSSL", 0).withMaxAssociations(2);
        CountDownLatch inHandler = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        try (StorageScp scp = StorageScp.start(settings, dir.resolve("incoming"), r -> {
            inHandler.countDown();
            assertThat(release.await(60, TimeUnit.SECONDS)).isTrue();
            Files.delete(r.file());
            return StoreResult.stored();
        }, Throwable::printStackTrace)) {
            CompletableFuture<Run> first = CompletableFuture.supplyAsync(() -> quietly(() -> store("A", "MEDSSL", scp.port(), Samples.file("MR2_UNC"))));
            CompletableFuture<Run> second = CompletableFuture.supplyAsync(() -> quietly(() -> store("B", "MEDSSL", scp.port(), Samples.file("NM-MONO2-16-13x-heart"))));
            assertThat(inHandler.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(scp.activeAssociations()).isEqualTo(2);

            long start = System.nanoTime();
            Run third = echo("C", "MEDSSL", scp.port());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(third.exit()).isNotZero();
            assertThat(third.output()).contains("Rejected Transient").contains("Local Limit Exceeded");

            release.countDown();
            assertThat(first.get(60, TimeUnit.SECONDS).exit()).isZero();
            assertThat(second.get(60, TimeUnit.SECONDS).exit()).isZero();
            await("both slots free", () -> scp.activeAssociations() == 0);
            assertThat(echo("C", "MEDSSL", scp.port()).exit()).isZero();
        }
    }

    @Test
    void settingsRefuseAeTitlesThatCouldNeverMatch() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StorageScp.Settings.of("A_TITLE_LONGER_THAN_16", 104))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StorageScp.Settings.of("MEDSSL", 104)
                .withAllowedCallingAeTitles(Set.of(" "))).isInstanceOf(IllegalArgumentException.class);
        assertThat(StorageScp.Settings.of(" MEDSSL ", 104).calledAeTitles()).containsExactly("MEDSSL");
    }

    @Test
    void theErrorCommentFitsItsVr() {
        StoreResult r = StoreResult.failed(0xA700, "é\\" + "x".repeat(100));
        assertThat(r.wireComment()).hasSize(64).startsWith("??x");
        assertThat(StoreResult.stored().isStored()).isTrue();
        assertThat(new StoreResult(0xB000, null).isStored()).isTrue();
    }

    interface Call {
        Run call() throws Exception;
    }

    static Run quietly(Call c) {
        try {
            return c.call();
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }
}
