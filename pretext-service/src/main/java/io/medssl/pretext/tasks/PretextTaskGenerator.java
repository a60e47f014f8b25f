package io.medssl.pretext.tasks;

import io.medssl.contracts.PretextTask;
import io.medssl.imaging.GrayImage;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A self-supervised pretext task: turns the square frames of one instance into labelled samples.
 * All randomness comes from the given generator, which the caller seeds from (instance, task,
 * seed), so every sample can be reproduced.
 */
public interface PretextTaskGenerator {

    String name();

    /** {@link PretextTask#CLASSIFICATION}, {@link PretextTask#REGRESSION} or {@link PretextTask#VIEWS}. */
    String kind();

    /** Class count for classification, else 0. */
    int classes();

    /** Shape of one input for square frames of side {@code size}. */
    int[] inputShape(int size);

    /** Shape of one regression target or second view; empty for classification. */
    int[] targetShape(int size);

    /** Samples from the frames of one instance, in frame order; may be empty (e.g. too few frames). */
    List<TaskSample> generate(List<GrayImage> frames, SplittableRandom random);

    /** The array name prefix of this task in a shard (npz entry names avoid '-'). */
    default String arrayPrefix() {
        return name().replace('-', '_');
    }

    default PretextTask descriptor(int size, int samples) {
        boolean views = kind().equals(PretextTask.VIEWS);
        return new PretextTask(name(), kind(), classes(),
                Arrays.stream(targetShape(size)).boxed().toList(),
                Arrays.stream(inputShape(size)).boxed().toList(),
                samples,
                arrayPrefix() + (views ? "_a" : "_x"),
                arrayPrefix() + (views ? "_b" : "_y"));
    }
}
