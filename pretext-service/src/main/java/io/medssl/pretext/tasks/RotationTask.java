package io.medssl.pretext.tasks;

import io.medssl.contracts.PretextTask;
import io.medssl.imaging.GrayImage;
import io.medssl.imaging.Resampling;
import java.util.ArrayList;
import java.util.List;

/**
 * Rotation prediction (Gidaris et al., 2018): the input rotated by k × 90° counter-clockwise,
 * the target is k. Predicting it needs a sense of anatomy's usual orientation, which is what the
 * backbone should learn. Every rotation of each input is emitted, so classes are balanced.
 */
public final class RotationTask {
    public static final String NAME = "rotation";
    public static final int CLASSES = 4;

    public PretextTask descriptor() {
        return PretextTask.classification(NAME, CLASSES);
    }

    /** Label names, index = class: degrees counter-clockwise. */
    public static List<String> labels() {
        return List.of("rot0", "rot90", "rot180", "rot270");
    }

    public List<PretextSample> samples(GrayImage square) {
        if (square.rows() != square.cols()) {
            throw new IllegalArgumentException("rotation needs a square input, got " + square.rows() + "x" + square.cols());
        }
        List<PretextSample> out = new ArrayList<>(CLASSES);
        for (int k = 0; k < CLASSES; k++) {
            out.add(new PretextSample(Resampling.rotate90(square, k).pixels(), k));
        }
        return out;
    }
}
