package io.medssl.contracts;

import java.util.List;

/**
 * One pretext task in a shard: what the network gets and what it must predict, so the trainer
 * builds its heads from data rather than from a hard-coded list.
 *
 * @param kind {@code classification} ({@code classes} is the class count, targets are int64
 *     class indices), {@code regression} ({@code shape} is the float32 target shape per sample) or
 *     {@code views} (two augmented views of one image for a consistency loss; {@code shape} is the
 *     shape of the second view)
 * @param inputShape shape of one input sample, e.g. [9, 16, 16] for nine jigsaw tiles
 * @param samples how many samples of this task the shard holds
 * @param inputArray name of the inputs array in the shard ({@code .npz} entry without {@code .npy})
 * @param targetArray name of the targets array (labels, regression targets, or the second view)
 */
public record PretextTask(String name, String kind, int classes, List<Integer> shape, List<Integer> inputShape,
                          int samples, String inputArray, String targetArray) {

    public static final String CLASSIFICATION = "classification";
    public static final String REGRESSION = "regression";
    public static final String VIEWS = "views";
}
