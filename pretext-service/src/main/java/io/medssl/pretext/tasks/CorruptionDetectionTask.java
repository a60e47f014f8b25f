package io.medssl.pretext.tasks;

import io.medssl.contracts.PretextTask;
import io.medssl.imaging.GrayImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Corrupted-image detection: which of {@link Corruption}'s faults (or none) was applied. Every
 * class is emitted once per frame, so classes are balanced.
 */
public final class CorruptionDetectionTask implements PretextTaskGenerator {
    public static final String NAME = "corruption";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String kind() {
        return PretextTask.CLASSIFICATION;
    }

    @Override
    public int classes() {
        return Corruption.values().length;
    }

    @Override
    public int[] inputShape(int size) {
        return new int[] {1, size, size};
    }

    @Override
    public int[] targetShape(int size) {
        return new int[0];
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
