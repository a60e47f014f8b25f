package io.medssl.models;

/**
 * The shape of a MedSSL network: a small ResNet-style backbone for single-channel square images
 * and a classification head. Saved in every model package so that whoever loads the parameters
 * builds the identical block first.
 *
 * @param inputSize side of the square input in pixels (e.g. 64)
 * @param width channels of the first stage; stages use width, 2×width, 4×width
 * @param classes outputs of the classification head
 */
public record NetworkSpec(int inputSize, int width, int classes) {

    public NetworkSpec {
        if (inputSize < 16 || inputSize % 8 != 0) {
            throw new IllegalArgumentException("inputSize must be a multiple of 8 and at least 16, got " + inputSize);
        }
        if (width < 1 || classes < 2) {
            throw new IllegalArgumentException("width must be positive and classes at least 2");
        }
    }

    /** Features produced by the backbone (after global pooling). */
    public int embeddingSize() {
        return 4 * width;
    }
}
