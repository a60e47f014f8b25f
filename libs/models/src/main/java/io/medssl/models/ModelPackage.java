package io.medssl.models;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A model package on disk: a folder with {@code model.json} ({@link ModelManifest}) and the DJL
 * parameter file it names. DJL parameters only load into the identical Java block, which
 * {@link Networks} rebuilds from the manifest's {@link NetworkSpec}.
 */
public final class ModelPackage {
    public static final String MANIFEST = "model.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelPackage() {
    }

    /** Writes the model's parameters and manifest into {@code dir}; returns the manifest with its checksum filled in. */
    public static ModelManifest write(Model model, ModelManifest manifest, Path dir) throws IOException {
        Files.createDirectories(dir);
        model.save(dir, manifest.name());
        String paramsFile = String.format("%s-%04d.params", manifest.name(), 0);
        Path params = dir.resolve(paramsFile);
        if (!Files.exists(params)) {
            throw new IOException("DJL did not write " + params);
        }
        ModelManifest complete = new ModelManifest(manifest.formatVersion(), manifest.name(), manifest.version(),
                manifest.task(), manifest.network(), manifest.labels(), paramsFile, sha256(params), manifest.metrics(),
                manifest.lineage(), manifest.framework(), manifest.createdAt());
        JSON.writeValue(dir.resolve(MANIFEST).toFile(), complete);
        return complete;
    }

    public static ModelManifest readManifest(Path dir) throws IOException {
        return JSON.readValue(dir.resolve(MANIFEST).toFile(), ModelManifest.class);
    }

    /** Loads a package, refusing one whose parameter file does not match its checksum. */
    public static Model load(Path dir, Device device) throws IOException {
        ModelManifest manifest = readManifest(dir);
        Path params = dir.resolve(manifest.parametersFile());
        String actual = sha256(params);
        if (!actual.equals(manifest.sha256())) {
            throw new IOException("model package " + dir + " is corrupt: parameters checksum " + actual
                    + " does not match manifest " + manifest.sha256());
        }
        Model model = Model.newInstance(manifest.name(), device);
        model.setBlock(Networks.classifier(manifest.network()));
        try {
            model.load(dir, manifest.name());
        } catch (MalformedModelException | RuntimeException e) {
            model.close();
            throw new IOException("cannot load model package " + dir + ": " + e.getMessage(), e);
        }
        return model;
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
