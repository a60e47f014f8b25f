package io.medssl.models;

/**
 * The shape of a MedSSL network: a small ResNet-style backbone for single-channel square images
 * and a classification head. Saved in every model package so that whoever loads the parameters
 * builds the identical block first.
 *
 * @param inputSize side of the square input in pixels (e.g. 64)
 * @param width channels of the first stage; stages use width, 2×width, 4×width
 * @param classes outputs of the classification head
 * @param depth residual blocks per stage (0 in manifests written before depth existed means 1)
 */
public record NetworkSpec(int inputSize, int width, int classes, int depth) {

    public NetworkSpec {
        if (inputSize < 16 || inputSize % 8 != 0) {
            throw new IllegalArgumentException("inputSize must be a multiple of 8 and at least 16, got " + inputSize);
        }
        if (width < 1 || classes < 2) {
            throw new IllegalArgumentException("width must be positive and classes at least 2");
        }
        if (depth == 0) {
            depth = 1;
        }
        if (depth < 1 || depth > 8) {
            throw new IllegalArgumentException("depth must be 1..8 residual blocks per stage, got " + depth);
        }
    }

    public NetworkSpec(int inputSize, int width, int classes) {
        this(inputSize, width, classes, 1);
    }

    /** Features produced by the backbone (after global pooling). */
    public int embeddingSize() {
        return 4 * width;
    }

    /** The same backbone with a head of {@code n} classes (fine-tuning a pretrained backbone). */
    public NetworkSpec withClasses(int n) {
        return new NetworkSpec(inputSize, width, n, depth);
    }
}
