package io.medssl.pretext.tasks;

import io.medssl.imaging.GrayImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Corrupted-image detection: which of {@link Corruption}'s faults (or none) was applied. Every
 * class is emitted once per frame, so classes are balanced.
 */
public final class CorruptionDetectionTask extends BasePretextTask {
    public static final String NAME = "corruption";

    public CorruptionDetectionTask() {
        super(NAME, Corruption.values().length);
    }

    @Override
    public int[] inputShape(int size) {
        return image(1, size);
    }

    @Override
    public List<TaskSample> generate(List<GrayImage> frames, SplittableRandom random) {
        List<TaskSample> out = new ArrayList<>();
        for (GrayImage frame : frames) {
            if (frame.rows() != frame.cols()) {
                throw new IllegalArgumentException(NAME + " needs square frames");
            }
            for (Corruption corruption : Corruption.values()) {
                out.add(TaskSample.classified(corruption.apply(frame.pixels(), frame.rows(), random), corruption.ordinal()));
            }
        }
        return out;
    }
}
