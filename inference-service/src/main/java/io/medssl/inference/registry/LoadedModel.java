package io.medssl.inference.registry;

import io.medssl.imaging.GrayImage;
import io.medssl.inference.batching.BatchingPredictor;
import io.medssl.models.ImageClassifier;
import io.medssl.models.ModelManifest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A model version that is loaded and answers requests through its own batching queue. */
public final class LoadedModel implements AutoCloseable {
    private final ModelManifest manifest;
    private final ImageClassifier classifier;
    private final BatchingPredictor<GrayImage, float[]> batcher;

    LoadedModel(ModelManifest manifest, ImageClassifier classifier, int queueCapacity, int maxBatch, long maxDelayMicros) {
        this.manifest = manifest;
        this.classifier = classifier;
        this.batcher = new BatchingPredictor<>(manifest.name() + "-v" + manifest.version(), frames -> {
            try {
                return classifier.predictBatch(frames);
            } catch (ai.djl.translate.TranslateException e) {
                throw new IllegalStateException("model failed: " + e.getMessage(), e);
            }
        }, queueCapacity, maxBatch, maxDelayMicros);
    }

    public String name() {
        return manifest.name();
    }

    public int version() {
        return manifest.version();
    }

    public ModelManifest manifest() {
        return manifest;
    }

    public List<String> labels() {
        return manifest.labels();
    }

    /** Probabilities keyed by class label, in the model's label order. */
    public Map<String, Double> labelled(float[] probabilities) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < probabilities.length; i++) {
            out.put(manifest.labels().get(i), (double) probabilities[i]);
        }
        return out;
    }

    /** The label of the most probable class. */
    public String bestLabel(float[] probabilities) {
        return manifest.labels().get(bestIndex(probabilities));
    }

    /** The index of the most probable class (the first, on a tie). */
    public static int bestIndex(float[] probabilities) {
        int best = 0;
        for (int i = 1; i < probabilities.length; i++) {
            best = probabilities[i] > probabilities[best] ? i : best;
        }
        return best;
    }

    /** Class probabilities of one frame, batched with concurrent requests. */
    public CompletableFuture<float[]> predict(GrayImage frame) {
        return batcher.submit(frame);
    }

    /** Many frames in one forward pass, outside the request queue (for saliency maps). */
    public List<float[]> predictAll(List<GrayImage> frames) {
        try {
            return classifier.predictBatch(frames);
        } catch (ai.djl.translate.TranslateException e) {
            throw new IllegalStateException("model failed: " + e.getMessage(), e);
        }
    }

    /** Finishes queued requests, then frees the model. */
    @Override
    public void close() {
        batcher.close();
        classifier.close();
    }
}
