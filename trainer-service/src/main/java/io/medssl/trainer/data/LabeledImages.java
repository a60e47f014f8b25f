package io.medssl.trainer.data;

import java.util.List;

/**
 * Labelled single-channel images ready for the network: {@code x} holds {@code count()} images of
 * {@code size × size} float pixels in [0, 1], row-major, one after the other (the layout of
 * {@link io.medssl.imaging.ModelInput#square}); {@code y} the class index of each image;
 * {@code patients} the patient pseudonym of each image, so that splits never put one patient on
 * both sides.
 */
public record LabeledImages(int size, float[] x, int[] y, String[] patients, List<String> classes) {

    public LabeledImages {
        if (x.length != y.length * size * size || patients.length != y.length) {
            throw new IllegalArgumentException("x, y and patients disagree: " + x.length + " pixels, " + y.length
                    + " labels, " + patients.length + " patients at size " + size);
        }
    }

    public int count() {
        return y.length;
    }
}
