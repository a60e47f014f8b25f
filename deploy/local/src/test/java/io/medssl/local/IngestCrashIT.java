package io.medssl.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.medssl.phantom.PhantomStudies;
import io.medssl.phantom.PhantomWriter;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What C-STORE Success promises, on the packaged service: storescu sends a series, ingest-service
 * answers Success for every object, and is then killed with SIGKILL while most of them are still
 * waiting to be processed (only in its accept journal). Started again on the same data, it
 * finishes every one of them: each object answered with Success is indexed exactly once, with its
 * pixel array — nothing accepted is lost.
 */
class IngestCrashIT {
    static final Path REPO = Path.of(System.getProperty("test.repo.dir", "../..")).toAbsolutePath().normalize();
    static final ObjectMapper JSON = new ObjectMapper();
    static final int OBJECTS = 150;
    static final String INGEST = "ingest-service";

    @TempDir
    Path data;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The processing backlog ingest-service reports in its readiness check. */
    private static long backlog(HttpResponse<String> ready) throws IOException {
        for (JsonNode check : JSON.readTree(ready.body()).path("checks")) {
            JsonNode value = check.path("data").path("processingBacklog");
            if (value.isNumber()) {
                return value.asLong();
            }
        }
        throw new AssertionError("no processingBacklog in " + ready.body());
    }

    private long count(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).count();
        }
    }

    @Test
    void everyObjectAnsweredWithSuccessSurvivesAKillMinusNine() throws Exception {
        SuiteOptions options = new SuiteOptions(REPO, data, "MEDSSL", freePort(), freePort(), freePort(), freePort(),
                freePort(), freePort(), 30, freePort());
        List<Path> series = PhantomWriter.writeStudies(PhantomStudies.generate(OBJECTS, 4242, 512), data.resolve("series"));
        try (LocalSuite suite = LocalSuite.startOnly(options, Set.of(INGEST))) {
            suite.awaitReady(Duration.ofMinutes(3));

            String storescu = suite.storeWithStorescu(series);
            assertThat(storescu).doesNotContain("Store Failed").doesNotContain("Association Abort");
            long pending = backlog(suite.get(options.ingestPort(), "/q/health/ready"));
            suite.crash(INGEST);
            assertThat(pending).as("objects accepted but not processed when the service was killed").isPositive();

            suite.restart(INGEST);
            suite.awaitReady(Duration.ofMinutes(3));
            Path storage = data.resolve("storage");
            JsonNode instances = null;
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            while (System.nanoTime() < deadline) {
                HttpResponse<String> qido = suite.get(options.ingestPort(), "/dicomweb/instances");
                instances = qido == null || qido.statusCode() != 200 ? null : JSON.readTree(qido.body());
                if (instances != null && instances.size() >= OBJECTS && backlog(suite.get(options.ingestPort(), "/q/health/ready")) == 0) {
                    break;
                }
                Thread.sleep(500);
            }
            assertThat(instances).as("QIDO-RS answer").isNotNull();
            Set<String> sopInstances = new HashSet<>();
            instances.forEach(i -> sopInstances.add(i.path("00080018").path("Value").path(0).asText()));
            assertThat(instances.size()).as("instances indexed after the restart").isEqualTo(OBJECTS);
            assertThat(sopInstances).as("each once").hasSize(OBJECTS);
            assertThat(count(storage.resolve("pixels"), ".npy")).isEqualTo(OBJECTS);
            assertThat(count(storage.resolve("deidentified"), ".dcm")).isEqualTo(OBJECTS);
            assertThat(count(storage.resolve("ingest/originals"), ".dcm")).isEqualTo(OBJECTS);
        }
    }
}
