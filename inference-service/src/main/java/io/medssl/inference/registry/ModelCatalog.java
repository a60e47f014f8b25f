package io.medssl.inference.registry;

import io.medssl.inference.config.InferenceConfig;
import io.medssl.models.DjlRuntime;
import io.medssl.models.ImageClassifier;
import io.medssl.models.ModelPackage;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The models this service serves: the newest version of each name, loaded from the registry in
 * storage at start and swapped in when a newer one is published. A swap is one reference update;
 * the replaced version stays open for a grace period so requests already holding it finish.
 */
@ApplicationScoped
public class ModelCatalog {
    private static final Logger LOG = Logger.getLogger(ModelCatalog.class);

    private final InferenceConfig config;
    private final ConcurrentHashMap<String, LoadedModel> models = new ConcurrentHashMap<>();
    private volatile String newest;
    private ScheduledExecutorService retirer;

    public ModelCatalog(InferenceConfig config) {
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        DjlRuntime.configure(config.inference().offline(), config.inference().threads());
        retirer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "model-retirer"));
        Path root = config.storage().root().resolve("models");
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> names = Files.list(root)) {
            for (Path nameDir : names.filter(Files::isDirectory).toList()) {
                latestVersion(nameDir).ifPresent(dir -> {
                    try {
                        load(dir);
                    } catch (IOException | RuntimeException e) {
                        LOG.errorf("could not load model package %s: %s", dir, e.getMessage());
                    }
                });
            }
        } catch (IOException e) {
            LOG.errorf("could not scan the model registry at %s: %s", root, e.getMessage());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        retirer.shutdownNow();
        models.values().forEach(m -> m.classifier().close());
    }

    private static Optional<Path> latestVersion(Path nameDir) throws IOException {
        try (Stream<Path> versions = Files.list(nameDir)) {
            return versions.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .filter(p -> Files.exists(p.resolve(ModelPackage.MANIFEST)))
                    .max((a, b) -> Integer.compare(Integer.parseInt(a.getFileName().toString()),
                            Integer.parseInt(b.getFileName().toString())));
        }
    }

    /** Loads the package in {@code dir} unless the same or a newer version of it is already served. */
    public synchronized LoadedModel load(Path dir) throws IOException {
        var manifest = ModelPackage.readManifest(dir);
        LoadedModel current = models.get(manifest.name());
        if (current != null && current.version() >= manifest.version()) {
            return current;
        }
        ImageClassifier classifier = ImageClassifier.load(dir, DjlRuntime.device(config.inference().device()));
        LoadedModel loaded = new LoadedModel(manifest.name(), manifest.version(), manifest, classifier);
        models.put(manifest.name(), loaded);
        newest = manifest.name();
        LOG.infof("serving %s v%d (task %s, labels %s)", manifest.name(), manifest.version(), manifest.task(), manifest.labels());
        if (current != null) {
            retirer.schedule(() -> current.classifier().close(), config.inference().retireAfter().toMillis(), TimeUnit.MILLISECONDS);
        }
        return loaded;
    }

    public Optional<LoadedModel> get(String name) {
        return Optional.ofNullable(models.get(name));
    }

    /** The model loaded most recently. */
    public Optional<LoadedModel> newest() {
        String n = newest;
        return n == null ? Optional.empty() : get(n);
    }

    public Collection<LoadedModel> all() {
        return models.values();
    }
}
