package io.medssl.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.medssl.imaging.GrayImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelPackageTest {
    private static final NetworkSpec SPEC = new NetworkSpec(32, 4, 3);

    private static ModelManifest manifest() {
        return new ModelManifest(ModelManifest.FORMAT_VERSION, "tiny", 1, "test", SPEC, List.of("a", "b", "c"),
                null, null, Map.of(), Map.of(), Map.of(), "2026-11-27T00:00:00Z");
    }

    private static GrayImage noise(int rows, int cols, long seed) {
        Random r = new Random(seed);
        float[] p = new float[rows * cols];
        for (int i = 0; i < p.length; i++) {
            p[i] = r.nextFloat();
        }
        return new GrayImage(rows, cols, p);
    }

    @Test
    void aSavedPackageLoadsIntoTheSameNetworkAndPredictsTheSame(@TempDir Path dir) throws Exception {
        GrayImage image = noise(48, 40, 1);
        float[] before;
        try (Model model = Model.newInstance("tiny", Device.cpu())) {
            model.setBlock(Networks.classifier(SPEC));
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 32, 32));
            ModelManifest written = ModelPackage.write(model, manifest(), dir);
            assertThat(written.sha256()).hasSize(64);
            assertThat(written.parametersFile()).isEqualTo("tiny-0000.params");
        }
        try (ImageClassifier classifier = ImageClassifier.load(dir, Device.cpu())) {
            before = classifier.predict(image);
            assertThat(before).hasSize(3);
            float sum = 0;
            for (float p : before) {
                assertThat(p).isBetween(0f, 1f);
                sum += p;
            }
            assertThat(sum).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-4f));
            assertThat(classifier.manifest().labels()).containsExactly("a", "b", "c");
            List<float[]> batch = classifier.predictBatch(List.of(image, noise(32, 32, 2)));
            assertThat(batch.get(0)).usingComparatorWithPrecision(1e-5f).containsExactly(before);
        }
        try (ImageClassifier again = ImageClassifier.load(dir, Device.cpu())) {
            assertThat(again.predict(image)).usingComparatorWithPrecision(1e-6f).containsExactly(before);
        }
    }

    @Test
    void aCorruptedParameterFileIsRefused(@TempDir Path dir) throws IOException {
        try (Model model = Model.newInstance("tiny", Device.cpu())) {
            model.setBlock(Networks.classifier(SPEC));
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 32, 32));
            ModelPackage.write(model, manifest(), dir);
        }
        Files.write(dir.resolve("tiny-0000.params"), new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
        assertThatThrownBy(() -> ModelPackage.load(dir, Device.cpu())).hasMessageContaining("corrupt");
    }

    @Test
    void invalidSpecsAreRejected() {
        assertThatThrownBy(() -> new NetworkSpec(30, 4, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NetworkSpec(32, 4, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
