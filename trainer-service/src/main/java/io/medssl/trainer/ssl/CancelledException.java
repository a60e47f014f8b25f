package io.medssl.trainer.ssl;

/** A run was cancelled by its owner; whatever it wrote so far stays valid (checkpoints). */
public final class CancelledException extends RuntimeException {
    public CancelledException(int step) {
        super("cancelled at step " + step);
    }
}
