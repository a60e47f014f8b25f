package io.medssl.inference.registry;

import io.medssl.inference.config.InferenceConfig;
import io.medssl.inference.predict.ProblemException;
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
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The models this service serves. Per name it keeps the last {@code keep-versions} versions
 * loaded and serves the newest, unless a version is pinned (which is also how to roll back).
 * Loading happens at start (from the registry in storage) and when a newer version is published.
 * Switching versions is one reference update: requests that already hold the old version finish
 * on it, and a retired version is closed only after a grace period.
 */
@ApplicationScoped
public class ModelCatalog {
    private static final Logger LOG = Logger.getLogger(ModelCatalog.class);

    /** The loaded versions of one model name and the pinned one, if any. */
    private static final class Versions {
        final NavigableMap<Integer, LoadedModel> loaded = new ConcurrentSkipListMap<>();
        volatile Integer pinned;

        LoadedModel serving() {
            Integer pin = pinned;
            LoadedModel model = pin == null ? null : loaded.get(pin);
            if (model != null) {
                return model;
            }
            var newest = loaded.lastEntry();
            return newest == null ? null : newest.getValue();
        }
    }

    private final InferenceConfig config;
    private final Map<String, Versions> models = new ConcurrentHashMap<>();
    private volatile String newestName;
    private ScheduledExecutorService retirer;

    public ModelCatalog(InferenceConfig config) {
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        DjlRuntime.configure(config.inference().offline(), config.inference().threads());
        retirer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "model-retirer"));
        Path root = registryRoot();
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> names = Files.list(root)) {
            for (Path nameDir : names.filter(Files::isDirectory).toList()) {
                List<Integer> versions = versionsOnDisk(nameDir);
                for (int v : versions.subList(Math.max(0, versions.size() - config.inference().keepVersions()), versions.size())) {
                    try {
                        loadPublished(nameDir.resolve(String.valueOf(v)));
                    } catch (IOException | RuntimeException e) {
                        LOG.errorf("could not load model package %s: %s", nameDir.resolve(String.valueOf(v)), e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            LOG.errorf("could not scan the model registry at %s: %s", root, e.getMessage());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        // Retired versions waiting for their grace period are closed now too.
        retirer.shutdownNow().forEach(Runnable::run);
        models.values().forEach(v -> v.loaded.values().forEach(LoadedModel::close));
    }

    private Path registryRoot() {
        return config.storage().root().resolve("models");
    }

    private static List<Integer> versionsOnDisk(Path nameDir) throws IOException {
        try (Stream<Path> versions = Files.list(nameDir)) {
            return versions.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("\\d+"))
                    .filter(n -> Files.exists(nameDir.resolve(n).resolve(ModelPackage.MANIFEST)))
                    .map(Integer::valueOf).sorted().toList();
        }
    }

    /**
     * Loads a published package (at start, or announced on medssl.models) unless it is older than
     * every kept version — replaying the topic's history must not load and evict each old version.
     * Returns the loaded model, or empty when the package was skipped.
     */
    public synchronized Optional<LoadedModel> loadPublished(Path dir) throws IOException {
        var manifest = ModelPackage.readManifest(dir);
        Versions versions = models.get(manifest.name());
        if (versions != null && versions.loaded.size() >= config.inference().keepVersions()
                && manifest.version() < versions.loaded.firstKey() && !Integer.valueOf(manifest.version()).equals(versions.pinned)) {
            return Optional.empty();
        }
        return Optional.of(load(dir));
    }

    /**
     * Loads the package in {@code dir} (no-op if that version is loaded) and retires the oldest
     * versions beyond the kept ones — never the pinned one, nor the one just asked for.
     */
    public synchronized LoadedModel load(Path dir) throws IOException {
        var manifest = ModelPackage.readManifest(dir);
        Versions versions = models.computeIfAbsent(manifest.name(), n -> new Versions());
        LoadedModel existing = versions.loaded.get(manifest.version());
        if (existing != null) {
            return existing;
        }
        var c = config.inference();
        LoadedModel model = new LoadedModel(manifest, ImageClassifier.load(dir, DjlRuntime.device(c.device())),
                c.queueCapacity(), c.maxBatch(), c.maxDelayMicros());
        versions.loaded.put(manifest.version(), model);
        // "Newest" is the model created last, whatever order packages are loaded in.
        LoadedModel newest = newestName == null ? null : serving(newestName).orElse(null);
        if (versions.loaded.lastKey() == manifest.version()
                && (newest == null || manifest.createdAt().compareTo(newest.manifest().createdAt()) >= 0)) {
            newestName = manifest.name();
        }
        LOG.infof("loaded %s v%d (task %s, labels %s); serving v%d", manifest.name(), manifest.version(), manifest.task(),
                manifest.labels(), versions.serving().version());
        for (Integer v : List.copyOf(versions.loaded.keySet())) {
            if (versions.loaded.size() <= c.keepVersions()) {
                break;
            }
            if (!v.equals(versions.pinned) && v != manifest.version()) {
                retire(versions.loaded.remove(v));
            }
        }
        return model;
    }

    private void retire(LoadedModel model) {
        LOG.infof("retiring %s v%d", model.name(), model.version());
        retirer.schedule(model::close, config.inference().retireAfter().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The version requests without a version get: the pinned one, else the newest. */
    public Optional<LoadedModel> serving(String name) {
        Versions v = models.get(name);
        return Optional.ofNullable(v == null ? null : v.serving());
    }

    /** A specific version, loaded from the registry on demand if it is not loaded. */
    public Optional<LoadedModel> version(String name, int version) {
        Versions v = models.get(name);
        LoadedModel loaded = v == null ? null : v.loaded.get(version);
        if (loaded != null) {
            return Optional.of(loaded);
        }
        if (!name.matches("[A-Za-z0-9._-]+")) {
            return Optional.empty();
        }
        Path dir = registryRoot().resolve(name).resolve(String.valueOf(version));
        if (!Files.exists(dir.resolve(ModelPackage.MANIFEST))) {
            return Optional.empty();
        }
        try {
            return Optional.of(load(dir));
        } catch (IOException e) {
            throw new ProblemException(500, "Model cannot be loaded", e.getMessage());
        }
    }

    /** Serves {@code version} for requests without a version until unpinned (a rollback is a pin to an older one). */
    public synchronized LoadedModel pin(String name, int version) {
        // load() keeps the version it was asked for, so the pin always names a loaded version.
        LoadedModel model = version(name, version).orElseThrow(() ->
                new ProblemException(404, "Model version not found", name + " v" + version + " is not in the registry"));
        models.get(name).pinned = version;
        LOG.infof("pinned %s to v%d", name, version);
        return model;
    }

    public synchronized Optional<LoadedModel> unpin(String name) {
        Versions v = models.get(name);
        if (v == null) {
            return Optional.empty();
        }
        v.pinned = null;
        LOG.infof("unpinned %s: serving v%d", name, v.serving().version());
        return Optional.of(v.serving());
    }

    public Optional<Integer> pinned(String name) {
        Versions v = models.get(name);
        return Optional.ofNullable(v == null ? null : v.pinned);
    }

    /** The model most recently published, as served. */
    public Optional<LoadedModel> newest() {
        String n = newestName;
        return n == null ? Optional.empty() : serving(n);
    }

    public List<String> names() {
        return models.keySet().stream().sorted().toList();
    }

    public List<Integer> loadedVersions(String name) {
        Versions v = models.get(name);
        return v == null ? List.of() : List.copyOf(v.loaded.keySet());
    }

    public int loadedCount() {
        return models.values().stream().mapToInt(v -> v.loaded.size()).sum();
    }
}
