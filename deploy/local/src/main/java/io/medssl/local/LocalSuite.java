package io.medssl.local;

import io.medssl.contracts.EventJson;
import io.medssl.contracts.ModelPublished;
import io.medssl.contracts.Topics;
import io.medssl.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * MedSSL on one machine: a real Kafka broker (in this process) and the four services, each its own
 * process started from its packaged jar, sharing one storage folder. Used by {@code ./medssl} and
 * by the end-to-end test, so what the test proves is what a user runs.
 */
public final class LocalSuite implements AutoCloseable {
    /** A service: its module folder, HTTP port, heap and its own settings. */
    private record Service(String name, int port, String heap, List<String> settings) {
    }

    private final SuiteOptions options;
    private final Map<String, List<String>> extraSettings;
    private final EmbeddedKafkaBroker broker;
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The services this suite runs (all four unless started with {@link #startOnly}). */
    private final Set<String> included;

    private LocalSuite(SuiteOptions options, Map<String, List<String>> extraSettings, EmbeddedKafkaBroker broker,
                       Set<String> included) {
        this.options = options;
        this.extraSettings = extraSettings;
        this.broker = broker;
        this.included = included;
    }

    public static LocalSuite start(SuiteOptions options) throws IOException {
        return start(options, Map.of());
    }

    /** Starts the suite with extra system properties per service (e.g. {@code trainer-service → -D…}). */
    public static LocalSuite start(SuiteOptions options, Map<String, List<String>> extraSettings) throws IOException {
        return start(options, extraSettings, null);
    }

    /** The broker, the PACS and only the named services (e.g. ingest-service alone, for its crash test). */
    public static LocalSuite startOnly(SuiteOptions options, Set<String> services) throws IOException {
        return start(options, Map.of(), Set.copyOf(services));
    }

    private static LocalSuite start(SuiteOptions options, Map<String, List<String>> extraSettings, Set<String> included)
            throws IOException {
        Files.createDirectories(options.dataDir().resolve("logs"));
        say("starting Kafka broker (KRaft, in-process) on 127.0.0.1:%d", options.kafkaPort());
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(options.dataDir().resolve("kafka"), false, options.kafkaPort());
        LocalSuite suite = new LocalSuite(options, extraSettings, broker, included);
        try {
            suite.launchPacs();
            for (Service service : suite.services()) {
                suite.launch(service);
            }
        } catch (IOException | RuntimeException e) {
            suite.close();
            throw e;
        }
        return suite;
    }

    private List<Service> services() {
        return allServices().stream().filter(s -> included == null || included.contains(s.name())).toList();
    }

    private List<Service> allServices() {
        // Each service validates its medssl.* keys: pass a service only its own.
        return List.of(
                new Service("ingest-service", options.ingestPort(), "384m", List.of(
                        "-Dmedssl.dicom.port=" + options.dicomPort(), "-Dmedssl.dicom.ae-title=" + options.aeTitle(),
                        "-Dmedssl.results.enabled=true", "-Dmedssl.results.ae-title=" + SuiteOptions.PACS_AE_TITLE,
                        "-Dmedssl.results.port=" + options.pacsPort(),
                        // The index database lives with the suite's data, not in the working directory.
                        "-Dquarkus.datasource.jdbc.url=jdbc:h2:file:" + options.dataDir().resolve("ingest-db").toAbsolutePath()
                                + "/index;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0")),
                new Service("pretext-service", options.pretextPort(), "384m", List.of()),
                new Service("trainer-service", options.trainerPort(), "1536m", List.of(
                        "-Dmedssl.trainer.steps=" + options.trainingSteps(),
                        // The jobs database lives with the suite's data, not in the working directory.
                        "-Dquarkus.datasource.jdbc.url=jdbc:h2:file:" + options.dataDir().resolve("trainer-db").toAbsolutePath()
                                + "/jobs;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0")),
                new Service("inference-service", options.inferencePort(), "384m", List.of(
                        "-Dmedssl.routes[0].dataset=default", "-Dmedssl.routes[0].model=" + SuiteOptions.DEMO_MODEL)));
    }

    private void launch(Service service) throws IOException {
        Path jar = options.repo().resolve(service.name()).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar + " is missing: build first (./mvnw package -DskipTests)");
        }
        String djlCache = Optional.ofNullable(System.getenv("DJL_CACHE_DIR"))
                .orElse(System.getProperty("user.home") + "/.cache/medssl/djl");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + service.heap(),
                "-Dquarkus.http.port=" + service.port(),
                "-Dquarkus.http.host=127.0.0.1",
                "-Dkafka.bootstrap.servers=" + broker.bootstrapServers(),
                "-Dmedssl.storage.root=" + options.dataDir().resolve("storage").toAbsolutePath(),
                "-Dai.djl.offline=true"));
        cmd.addAll(service.settings());
        cmd.addAll(extraSettings.getOrDefault(service.name(), List.of()));
        cmd.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(options.dataDir().resolve("logs").resolve(service.name() + ".log").toFile());
        builder.environment().put("DJL_CACHE_DIR", djlCache);
        processes.put(service.name(), builder.start());
        say("started %-17s http://127.0.0.1:%d (log: %s)", service.name(), service.port(),
                options.dataDir().resolve("logs").resolve(service.name() + ".log"));
    }

    /** dcmtk's storescp as the hospital PACS that receives results (SR) from ingest-service. */
    private void launchPacs() throws IOException {
        Files.createDirectories(options.pacsDir());
        Process pacs = new ProcessBuilder("storescp", "-aet", SuiteOptions.PACS_AE_TITLE, "-od", options.pacsDir().toString(),
                String.valueOf(options.pacsPort()))
                .redirectErrorStream(true)
                .redirectOutput(options.dataDir().resolve("logs").resolve("pacs-storescp.log").toFile())
                .start();
        processes.put("pacs (dcmtk storescp)", pacs);
        say("started %-17s %s@127.0.0.1:%d, files in %s", "PACS (storescp)", SuiteOptions.PACS_AE_TITLE, options.pacsPort(),
                options.pacsDir());
    }

    /** Waits for the first DICOM SR in the PACS folder. */
    public Optional<Path> awaitReport(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (var files = Files.list(options.pacsDir())) {
                Optional<Path> sr = files.filter(p -> p.getFileName().toString().startsWith("SR")).findFirst();
                if (sr.isPresent()) {
                    Thread.sleep(300); // let storescp finish the file
                    return sr;
                }
            }
            Thread.sleep(250);
        }
        return Optional.empty();
    }

    /** Waits until every service answers its readiness probe. */
    public void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Service service : services()) {
            while (true) {
                Process p = processes.get(service.name());
                Process pacs = processes.get("pacs (dcmtk storescp)");
                if (pacs != null && !pacs.isAlive()) {
                    throw new IOException("the demo PACS (storescp) exited; is port " + options.pacsPort() + " taken? See "
                            + options.dataDir().resolve("logs/pacs-storescp.log"));
                }
                if (!p.isAlive()) {
                    throw new IOException(service.name() + " exited with " + p.exitValue() + "; see its log in "
                            + options.dataDir().resolve("logs"));
                }
                if (status(get(service.port(), "/q/health/ready")) == 200) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException(service.name() + " not ready after " + timeout);
                }
                Thread.sleep(250);
            }
        }
        say("all services ready");
    }

    /** Sends files to the DICOM node with dcmtk's storescu (a real C-STORE); returns storescu's output. */
    public String storeWithStorescu(List<Path> files) throws IOException, InterruptedException {
        Path config = options.repo().resolve("deploy/local/dcmtk/storescu.cfg");
        List<String> cmd = new ArrayList<>(List.of("storescu", "-nh", "-xf", config.toString(), "MedSSL",
                "-aet", "MEDSSL_DEMO", "-aec", options.aeTitle(), "127.0.0.1", String.valueOf(options.dicomPort())));
        files.forEach(f -> cmd.add(f.toString()));
        Path log = Files.createTempFile(options.dataDir().resolve("logs"), "storescu-", ".log");
        Process storescu = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!storescu.waitFor(5, TimeUnit.MINUTES)) {
            storescu.destroyForcibly();
            throw new IOException("storescu did not finish within 5 minutes");
        }
        return Files.readString(log);
    }

    /**
     * A copy of a DICOM file as a new instance (dcmtk's {@code dcmodify -gin}: new SOP Instance
     * UID, same study): ingest announces a resent identical instance only once, so showing routing
     * again needs a new one, as a modality would send.
     */
    public Path newInstanceCopy(Path file) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(options.dataDir().resolve("resend"));
        Path copy = dir.resolve(file.getFileName() + "-" + UUID.randomUUID().toString().substring(0, 8));
        Files.copy(file, copy);
        Process dcmodify = new ProcessBuilder("dcmodify", "-nb", "-gin", copy.toString()).redirectErrorStream(true).start();
        String out = new String(dcmodify.getInputStream().readAllBytes());
        if (!dcmodify.waitFor(1, TimeUnit.MINUTES) || dcmodify.exitValue() != 0) {
            throw new IOException("dcmodify -gin failed: " + out);
        }
        return copy;
    }

    /** Waits for the first ModelPublished event that matches. */
    public ModelPublished awaitModel(Duration timeout, Predicate<ModelPublished> filter) throws IOException {
        Map<String, Object> config = Map.of("bootstrap.servers", broker.bootstrapServers(),
                "group.id", "medssl-launcher-" + UUID.randomUUID(), "auto.offset.reset", "earliest");
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.MODELS));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    ModelPublished event = EventJson.read(record.value(), ModelPublished.class);
                    if (filter.test(event)) {
                        return event;
                    }
                }
                checkAlive();
            }
        }
        throw new IOException("no model was published within " + timeout);
    }

    /** POSTs a DICOM file to inference-service; returns (status, body). */
    public HttpResponse<String> predict(String model, Path dicom) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(options.url(options.inferencePort())
                        + "/api/v1/models/" + model + "/predict"))
                .header("Content-Type", "application/dicom")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofFile(dicom))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Saves a PNG preview of one pretext shard of the dataset; empty if there is none yet. */
    public Optional<Path> savePretextPreview(String dataset, Path target) throws IOException, InterruptedException {
        HttpResponse<String> list = get(options.pretextPort(), "/api/v1/datasets/" + dataset + "/shards");
        if (list == null || list.statusCode() != 200) {
            return Optional.empty();
        }
        var shards = new com.fasterxml.jackson.databind.ObjectMapper().readTree(list.body());
        if (!shards.isArray() || shards.isEmpty()) {
            return Optional.empty();
        }
        // The shard with the most tasks shows the most (multi-frame objects add frame order).
        var richest = shards.get(0);
        for (var shard : shards) {
            if (shard.path("tasks").size() > richest.path("tasks").size()) {
                richest = shard;
            }
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(options.url(options.pretextPort()) + "/api/v1/datasets/"
                + dataset + "/shards/" + richest.path("shardId").asText() + "/preview.png")).GET().build();
        HttpResponse<Path> png = http.send(request, HttpResponse.BodyHandlers.ofFile(target));
        return png.statusCode() == 200 ? Optional.of(target) : Optional.empty();
    }

    /** POSTs a body to a service; returns (status, body). */
    public HttpResponse<String> post(int port, String path, String contentType, HttpRequest.BodyPublisher body)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(options.url(port) + path))
                .header("Content-Type", contentType).timeout(Duration.ofMinutes(2)).POST(body).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Throws if a service process died (long waits check this so they fail fast). */
    public void checkAlive() throws IOException {
        for (var entry : processes.entrySet()) {
            if (!entry.getValue().isAlive()) {
                throw new IOException(entry.getKey() + " died; see " + options.dataDir().resolve("logs"));
            }
        }
    }

    public HttpResponse<String> get(int port, String path) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(options.url(port) + path)).timeout(Duration.ofSeconds(10)).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException notUpYet) {
            return null;
        }
    }

    private static int status(HttpResponse<String> response) {
        return response == null ? -1 : response.statusCode();
    }

    public SuiteOptions options() {
        return options;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Kills a service at once (SIGKILL: no shutdown hooks, nothing flushed), as a crash or power cut would. */
    public void crash(String service) throws InterruptedException {
        Process p = processes.get(service);
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
        say("killed %s (SIGKILL)", service);
    }

    /** Starts a service again with the same settings and data (after {@link #crash}). */
    public void restart(String service) throws IOException {
        launch(services().stream().filter(s -> s.name().equals(service)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + service + " in this suite")));
    }

    /** Whether every service process is still running. */
    public Map<String, Boolean> alive() {
        Map<String, Boolean> alive = new LinkedHashMap<>();
        processes.forEach((name, p) -> alive.put(name, p.isAlive()));
        return alive;
    }

    /** Stops the services (SIGTERM, then kill after 20 s) in reverse order, then the broker. */
    @Override
    public void close() {
        List<String> names = new ArrayList<>(processes.keySet());
        java.util.Collections.reverse(names);
        for (String name : names) {
            processes.get(name).destroy();
        }
        for (String name : names) {
            Process p = processes.get(name);
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        broker.close();
        say("stopped");
    }

    static void say(String format, Object... args) {
        System.out.println("[medssl] " + String.format(format, args));
        System.out.flush();
    }
}
