package io.medssl.contracts;

import java.util.List;

/**
 * What one pretext task in a shard asks the network to predict, so the trainer can build its head
 * from data rather than from a hard-coded list.
 *
 * @param kind {@code classification} (then {@code classes} is the class count) or
 *     {@code regression} (then {@code shape} is the target shape)
 */
public record PretextTask(String name, String kind, int classes, List<Integer> shape) {

    public static final String CLASSIFICATION = "classification";
    public static final String REGRESSION = "regression";

    public static PretextTask classification(String name, int classes) {
        return new PretextTask(name, CLASSIFICATION, classes, List.of());
    }
}
