package io.medssl.pretext.tasks;

import io.medssl.contracts.PretextTask;

/** What every task states the same way: its name, its kind and its class count. */
abstract class BasePretextTask implements PretextTaskGenerator {
    private static final int[] NO_SHAPE = new int[0];

    private final String name;
    private final String kind;
    private final int classes;

    BasePretextTask(String name, String kind, int classes) {
        this.name = name;
        this.kind = kind;
        this.classes = classes;
    }

    /** A classification task with {@code classes} classes. */
    BasePretextTask(String name, int classes) {
        this(name, PretextTask.CLASSIFICATION, classes);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String kind() {
        return kind;
    }

    @Override
    public final int classes() {
        return classes;
    }

    /** Classification targets are class indices: no target shape. */
    @Override
    public int[] targetShape(int size) {
        return NO_SHAPE;
    }

    static int[] image(int channels, int size) {
        return new int[] {channels, size, size};
    }
}
