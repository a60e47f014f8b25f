package io.medssl.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the node with dcmtk's echoscu/storescu, real peers a hospital would use. */
class StorageScpTest {
    @TempDir
    Path dir;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static int run(String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().transferTo(System.out);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    @Test
    void echoAndStoreFromDcmtk() throws Exception {
        int port = freePort();
        List<String> received = new CopyOnWriteArrayList<>();
        try (StorageScp scp = StorageScp.start("MEDSSL", port, dir.resolve("incoming"), (file, callingAe, ts) -> {
            received.add(DicomReader.read(file).sopInstanceUid() + "|" + callingAe + "|" + ts);
            Files.delete(file);
        }, Throwable::printStackTrace)) {
            assertThat(run("echoscu", "-aet", "MODALITY", "-aec", "MEDSSL", "127.0.0.1", String.valueOf(port))).isZero();
            Path ct = Samples.file("CT-JPEGLosslessSV1.dcm");
            assertThat(run("storescu", "-xf", Path.of(System.getProperty("test.repo.dir", "../..")).resolve("deploy/local/dcmtk/storescu.cfg").toString(), "MedSSL", "-aet", "MODALITY", "-aec", "MEDSSL", "127.0.0.1", String.valueOf(port), ct.toString())).isZero();
            String uid = DicomReader.read(ct).sopInstanceUid();
            assertThat(received).containsExactly(uid + "|MODALITY|1.2.840.10008.1.2.4.70");
        }
    }

    @Test
    void aWrongCalledAeTitleIsRejected() throws Exception {
        int port = freePort();
        List<String> received = new CopyOnWriteArrayList<>();
        try (StorageScp scp = StorageScp.start("MEDSSL", port, dir.resolve("incoming"),
                (file, callingAe, ts) -> received.add(file.toString()), Throwable::printStackTrace)) {
            assertThat(run("echoscu", "-aet", "MODALITY", "-aec", "SOMEONE_ELSE", "127.0.0.1", String.valueOf(port))).isNotZero();
            assertThat(received).isEmpty();
        }
    }
}
