package io.medssl.models;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.medssl.imaging.GrayImage;
import io.medssl.imaging.ModelInput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A loaded model package that classifies grayscale frames. Frames go through
 * {@link ModelInput#square}, the same preprocessing pretext-service applies to training samples.
 * Thread-safe: each call takes its own DJL predictor (cheap next to a forward pass).
 */
public final class ImageClassifier implements AutoCloseable {
    private final Model model;
    private final ModelManifest manifest;

    private ImageClassifier(Model model, ModelManifest manifest) {
        this.model = model;
        this.manifest = manifest;
    }

    public static ImageClassifier load(Path packageDir, Device device) throws IOException {
        ModelManifest manifest = ModelPackage.readManifest(packageDir);
        return new ImageClassifier(ModelPackage.load(packageDir, device), manifest);
    }

    public ModelManifest manifest() {
        return manifest;
    }

    /** Class probabilities, in the order of {@code manifest().labels()}. */
    public float[] predict(GrayImage frame) throws TranslateException {
        return predictBatch(List.of(frame)).get(0);
    }

    public List<float[]> predictBatch(List<GrayImage> frames) throws TranslateException {
        int size = manifest.network().inputSize();
        List<GrayImage> inputs = frames.stream().map(f -> ModelInput.square(f, size)).toList();
        try (Predictor<GrayImage, float[]> predictor = model.newPredictor(new SoftmaxTranslator())) {
            return predictor.batchPredict(inputs);
        }
    }

    @Override
    public void close() {
        model.close();
    }

    private static final class SoftmaxTranslator implements Translator<GrayImage, float[]> {
        @Override
        public NDList processInput(TranslatorContext ctx, GrayImage input) {
            NDManager manager = ctx.getNDManager();
            NDArray array = manager.create(input.pixels(), new Shape(1, input.rows(), input.cols()));
            return new NDList(array);
        }

        @Override
        public float[] processOutput(TranslatorContext ctx, NDList list) {
            return list.singletonOrThrow().softmax(-1).toFloatArray();
        }

        @Override
        public Batchifier getBatchifier() {
            return Batchifier.STACK;
        }
    }
}
