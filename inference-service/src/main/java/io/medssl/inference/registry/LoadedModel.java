package io.medssl.inference.registry;

import io.medssl.models.ImageClassifier;
import io.medssl.models.ModelManifest;

/** A model version that is loaded and can answer requests. */
public record LoadedModel(String name, int version, ModelManifest manifest, ImageClassifier classifier) {
}
