package io.medssl.models;

/**
 * One head of the multi-task pretraining network, derived from a pretext task's descriptor.
 *
 * @param task the pretext task's name (e.g. {@code rotation})
 * @param layout how the task's input reaches the backbone and what the head predicts
 * @param classes classes of a classification head (0 otherwise)
 * @param tiles images per sample for {@link Layout#TILES} (e.g. 9 jigsaw tiles), else 1
 */
public record PretextHead(String task, Layout layout, int classes, int tiles) {

    public enum Layout {
        /** One image (N, 1, S, S) → class logits. */
        IMAGE_CLASSIFICATION,
        /** k images per sample (N, k, t, t), each through the shared backbone, embeddings joined → class logits. */
        TILES,
        /** One image → an image (N, 1, S, S) of the same size. */
        RECONSTRUCTION,
        /** Image and mask (N, 2, S, S): the backbone sees channel 0; the loss looks at channel 1's masked area. */
        MASKED_RECONSTRUCTION,
        /** Two views of one image → projected embeddings (N, d) each, for the consistency loss. */
        VIEWS
    }

    public PretextHead {
        if ((layout == Layout.IMAGE_CLASSIFICATION || layout == Layout.TILES) && classes < 2) {
            throw new IllegalArgumentException(task + ": a classification head needs at least 2 classes");
        }
        if (layout == Layout.TILES && tiles < 2) {
            throw new IllegalArgumentException(task + ": a tiles head needs at least 2 images per sample");
        }
    }

    /** Arrays this head takes from (and gives back to) the network's input (output) list. */
    public int arrays() {
        return layout == Layout.VIEWS ? 2 : 1;
    }
}
