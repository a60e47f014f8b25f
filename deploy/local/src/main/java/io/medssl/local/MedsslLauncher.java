package io.medssl.local;

import io.medssl.contracts.ModelPublished;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * {@code ./medssl demo}: the whole chain once on sample data, exit 0 only if a prediction came back.
 * {@code ./medssl up}: the same suite, kept running for manual use until Ctrl-C.
 * {@code ./medssl experiment}: the label-efficiency experiment ({@link LabelEfficiencyRun}).
 */
public final class MedsslLauncher {
    private MedsslLauncher() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length > 0 ? args[0] : "demo";
        Path repo = Path.of(SuiteOptions.setting("medssl.repo", ".")).toAbsolutePath().normalize();
        int code = switch (command) {
            case "demo" -> demo(repo, args.length > 1 ? Path.of(args[1]) : defaultSamples(repo));
            case "up" -> up(repo);
            case "experiment" -> LabelEfficiencyRun.run(repo, args.length > 1 ? args[1] : "900");
            default -> {
                System.err.println("usage: medssl demo [samples-dir] | up | experiment [studies | medmnist.npz] | test");
                yield 2;
            }
        };
        System.exit(code);
    }

    private static Path defaultSamples(Path repo) {
        return Path.of(SuiteOptions.setting("medssl.samples", repo.resolve("../shared/dicom-samples").toString()));
    }

    static int demo(Path repo, Path samples) throws Exception {
        List<Path> files = dicomFiles(samples);
        if (files.isEmpty()) {
            System.err.println("no DICOM files in " + samples + " (pass a folder: ./medssl demo <folder>)");
            return 1;
        }
        Path data = repo.resolve("data/demo");
        deleteRecursively(data);
        SuiteOptions options = SuiteOptions.fromEnvironment(repo, data);
        try (LocalSuite suite = LocalSuite.start(options)) {
            suite.awaitReady(Duration.ofMinutes(3));
            LocalSuite.say("sending %d files from %s with storescu to %s@127.0.0.1:%d", files.size(), samples,
                    options.aeTitle(), options.dicomPort());
            String storescu = suite.storeWithStorescu(files);
            storescu.lines().filter(l -> l.startsWith("E:")).forEach(l -> LocalSuite.say("storescu refused to send: %s", l));
            LocalSuite.say("waiting for pretext shards and the trainer (logs in %s)", data.resolve("logs"));
            ModelPublished model = suite.awaitModel(Duration.ofMinutes(10), m -> true);
            LocalSuite.say("model published: %s v%d, metrics %s", model.name(), model.version(), model.metrics());
            suite.savePretextPreview("default", data.resolve("pretext-preview.png"))
                    .ifPresent(p -> LocalSuite.say("pretext samples (picture): %s", p.toAbsolutePath()));
            LocalSuite.say("model package: %s", data.resolve("storage").resolve(model.key()).toAbsolutePath());
            HttpResponse<String> prediction = predictWhenServed(suite, model, files);
            if (prediction == null) {
                System.err.println("[medssl] inference-service never answered a prediction");
                return 1;
            }
            LocalSuite.say("prediction from inference-service (%s):", options.url(options.inferencePort()));
            System.out.println(prediction.body());
            // Newly ingested images of the dataset are now routed to the model, and its result goes
            // back to the PACS as a DICOM SR: send a new instance of one image to see it.
            Path source = files.stream().filter(f -> f.getFileName().toString().startsWith("CT")).findFirst().orElse(files.get(0));
            Path again = suite.newInstanceCopy(source);
            suite.storeWithStorescu(List.of(again));
            suite.awaitReport(Duration.ofMinutes(1)).ifPresentOrElse(
                    sr -> LocalSuite.say("result of %s came back to the PACS as DICOM SR: %s (dsrdump shows it)",
                            again.getFileName(), sr.toAbsolutePath()),
                    () -> LocalSuite.say("no SR reached the PACS within a minute (see %s)", data.resolve("logs")));
            LocalSuite.say("demo finished: DICOM -> ingest -> pretext -> trainer -> inference worked");
            return 0;
        } catch (IOException e) {
            System.err.println("[medssl] demo failed: " + e.getMessage());
            return 1;
        }
    }

    /** Retries until the new version is loaded, trying sample files until one decodes. */
    private static HttpResponse<String> predictWhenServed(LocalSuite suite, ModelPublished model, List<Path> files)
            throws InterruptedException, IOException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            for (Path file : files) {
                HttpResponse<String> response = suite.predict(model.name(), file);
                if (response.statusCode() == 200
                        && new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).path("version").asInt() == model.version()) {
                    LocalSuite.say("predicted %s", file.getFileName());
                    return response;
                }
                if (response.statusCode() == 404) {
                    break; // not loaded yet
                }
            }
            Thread.sleep(500);
        }
        return null;
    }

    static int up(Path repo) throws Exception {
        Path data = repo.resolve("data/local");
        SuiteOptions o = SuiteOptions.fromEnvironment(repo, data);
        LocalSuite suite = LocalSuite.start(o);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            suite.close();
            stopped.countDown();
        }, "medssl-shutdown"));
        suite.awaitReady(Duration.ofMinutes(3));
        LocalSuite.say("MedSSL is up (data in %s). Ctrl-C stops everything.", data.toAbsolutePath());
        LocalSuite.say("  DICOM node     %s @ 127.0.0.1:%d   e.g. storescu -xf deploy/local/dcmtk/storescu.cfg MedSSL -aec %s 127.0.0.1 %d file.dcm",
                o.aeTitle(), o.dicomPort(), o.aeTitle(), o.dicomPort());
        LocalSuite.say("  ingest         %s/api/v1/instances", o.url(o.ingestPort()));
        LocalSuite.say("  pretext        %s/q/health", o.url(o.pretextPort()));
        LocalSuite.say("  trainer        %s/api/v1/models   %s/api/v1/jobs", o.url(o.trainerPort()), o.url(o.trainerPort()));
        LocalSuite.say("  inference      curl -H 'Content-Type: application/dicom' --data-binary @file.dcm %s/api/v1/predict",
                o.url(o.inferencePort()));
        LocalSuite.say("  Kafka          %s", suite.bootstrapServers());
        LocalSuite.say("  PACS (results) %s@127.0.0.1:%d, SR files in %s", SuiteOptions.PACS_AE_TITLE, o.pacsPort(), o.pacsDir());
        LocalSuite.say("  OpenAPI        %s/q/openapi (and 8082-8084)", o.url(o.ingestPort()));
        stopped.await();
        return 0;
    }

    static List<Path> dicomFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().endsWith(".md"))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
