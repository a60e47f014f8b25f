package io.medssl.pretext.tasks;

import io.medssl.imaging.GrayImage;
import io.medssl.imaging.Resampling;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Rotation prediction (Gidaris et al., 2018): the frame rotated by k × 90° counter-clockwise,
 * the target is k. Predicting it needs a sense of anatomy's usual orientation. Every rotation of
 * each frame is emitted, so classes are balanced.
 */
public final class RotationTask extends BasePretextTask {
    public static final String NAME = "rotation";
    public static final int CLASSES = 4;

    public RotationTask() {
        super(NAME, CLASSES);
    }

    /** Label names, index = class: degrees counter-clockwise. */
    public static List<String> labels() {
        return List.of("rot0", "rot90", "rot180", "rot270");
    }

    @Override
    public int[] inputShape(int size) {
        return image(1, size);
    }

    @Override
    public List<TaskSample> generate(List<GrayImage> frames, SplittableRandom random) {
        List<TaskSample> out = new ArrayList<>(frames.size() * CLASSES);
        for (GrayImage square : frames) {
            if (square.rows() != square.cols()) {
                throw new IllegalArgumentException("rotation needs a square input, got " + square.rows() + "x" + square.cols());
            }
            for (int k = 0; k < CLASSES; k++) {
                out.add(TaskSample.classified(Resampling.rotate90(square, k).pixels(), k));
            }
        }
        return out;
    }
}
