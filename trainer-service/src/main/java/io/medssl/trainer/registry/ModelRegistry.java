package io.medssl.trainer.registry;

import ai.djl.Model;
import io.medssl.models.ModelManifest;
import io.medssl.models.ModelPackage;
import io.medssl.storage.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Versioned model packages in storage: {@code models/<name>/<version>/}. A package is written into
 * a hidden scratch folder and renamed into place, so readers never see half a package.
 */
@ApplicationScoped
public class ModelRegistry {
    private final BlobStore store;

    public ModelRegistry(BlobStore store) {
        this.store = store;
    }

    public synchronized int nextVersion(String name) throws IOException {
        return versions(name).stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
    }

    /** Writes the package and returns its manifest (with checksum) and storage key. */
    public synchronized Published publish(Model model, ModelManifest manifest) throws IOException {
        return publish(model, manifest, written -> Map.of());
    }

    /**
     * Writes the package with extra files (model card, charts) that depend on the written manifest
     * (its checksum); they are in place before the package becomes visible.
     */
    public synchronized Published publish(Model model, ModelManifest manifest,
                                          Function<ModelManifest, Map<String, byte[]>> extras) throws IOException {
        String key = "models/" + manifest.name() + "/" + manifest.version();
        Path target = store.localPath(key);
        Path scratch = target.resolveSibling("." + manifest.version() + "-" + UUID.randomUUID() + ".part");
        ModelManifest written = ModelPackage.write(model, manifest, scratch);
        for (Map.Entry<String, byte[]> extra : extras.apply(written).entrySet()) {
            Files.write(scratch.resolve(extra.getKey()), extra.getValue());
        }
        try (Stream<Path> files = Files.list(scratch)) {
            for (Path f : files.toList()) {
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
            }
        }
        if (Files.exists(target)) {
            throw new IOException("model " + key + " already exists");
        }
        Files.move(scratch, target, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
        return new Published(key, written);
    }

    public record Published(String key, ModelManifest manifest) {
    }

    /** The package folder of {@code name} at {@code version} (null = the newest), if it exists. */
    public synchronized java.util.Optional<Path> packageDir(String name, Integer version) throws IOException {
        List<Integer> all = versions(name);
        if (all.isEmpty()) {
            return java.util.Optional.empty();
        }
        int v = version == null ? all.get(all.size() - 1) : version;
        return all.contains(v) ? java.util.Optional.of(store.localPath("models/" + name + "/" + v)) : java.util.Optional.empty();
    }

    public List<ModelManifest> manifests() throws IOException {
        Path root = store.localPath("models");
        List<ModelManifest> all = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return all;
        }
        try (Stream<Path> names = Files.list(root)) {
            for (Path nameDir : names.filter(Files::isDirectory).toList()) {
                for (int v : versions(nameDir.getFileName().toString())) {
                    all.add(ModelPackage.readManifest(nameDir.resolve(String.valueOf(v))));
                }
            }
        }
        all.sort(Comparator.comparing(ModelManifest::name).thenComparing(ModelManifest::version));
        return all;
    }

    private List<Integer> versions(String name) throws IOException {
        Path dir = store.localPath("models/" + name);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("\\d+"))
                    .filter(n -> Files.exists(dir.resolve(n).resolve(ModelPackage.MANIFEST)))
                    .map(Integer::valueOf)
                    .sorted()
                    .toList();
        }
    }
}
