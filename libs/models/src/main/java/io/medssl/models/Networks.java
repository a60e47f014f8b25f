package io.medssl.models;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import java.util.ArrayList;
import java.util.List;

/** The one place that builds MedSSL's networks, shared by trainer (to train) and inference (to load). */
public final class Networks {
    /** Width of the hidden layer of MLP heads and of the projection for the consistency loss. */
    static final int HIDDEN = 128;
    public static final int PROJECTION = 64;

    private Networks() {
    }

    /** Backbone and linear head: input (N, 1, S, S) → logits (N, classes). */
    public static StagedClassifier classifier(NetworkSpec spec) {
        return new StagedClassifier(backbone(spec), linear(spec.classes()));
    }

    /** A classifier reusing existing backbone and head blocks (publishing one head of a multi-task network). */
    public static StagedClassifier classifier(StagedBackbone backbone, Block head) {
        return new StagedClassifier(backbone, head);
    }

    /** One backbone with a head per pretext task. */
    public static MultiTaskNetwork multiTask(NetworkSpec spec, List<PretextHead> heads) {
        List<Block> blocks = new ArrayList<>();
        for (PretextHead head : heads) {
            blocks.add(switch (head.layout()) {
                case IMAGE_CLASSIFICATION -> linear(head.classes());
                case TILES -> mlp(head.classes());
                case RECONSTRUCTION, MASKED_RECONSTRUCTION -> Conv2d.builder()
                        .setKernelShape(new Shape(1, 1))
                        .setFilters(MultiTaskNetwork.PATCH * MultiTaskNetwork.PATCH)
                        .build();
                case VIEWS -> mlp(PROJECTION);
            });
        }
        return new MultiTaskNetwork(spec, backbone(spec), heads, blocks);
    }

    /** Input (N, 1, S, S) → [embedding (N, 4×width), feature map (N, 4×width, S/8, S/8)]. */
    public static StagedBackbone backbone(NetworkSpec spec) {
        int w = spec.width();
        Block stem = new SequentialBlock()
                .add(conv(w, 3, 1))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock());
        return new StagedBackbone(List.of(stem, stage(w, spec.depth()), stage(2 * w, spec.depth()), stage(4 * w, spec.depth())),
                spec.embeddingSize());
    }

    private static Block linear(int units) {
        return Linear.builder().setUnits(units).build();
    }

    private static Block mlp(int outputs) {
        return new SequentialBlock()
                .add(linear(HIDDEN))
                .add(Activation.reluBlock())
                .add(linear(outputs));
    }

    /** A stage halves the resolution in its first residual block. */
    private static Block stage(int filters, int depth) {
        SequentialBlock stage = new SequentialBlock();
        for (int i = 0; i < depth; i++) {
            stage.add(residual(filters, i == 0 ? 2 : 1));
        }
        return stage;
    }

    private static Conv2d conv(int filters, int kernel, int stride) {
        return Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .setFilters(filters)
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(kernel / 2, kernel / 2))
                .optBias(false)
                .build();
    }

    /** A basic residual block (two 3×3 convolutions) with a projecting 1×1 shortcut. */
    private static Block residual(int filters, int stride) {
        SequentialBlock main = new SequentialBlock()
                .add(conv(filters, 3, stride))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(conv(filters, 3, 1))
                .add(BatchNorm.builder().build());
        SequentialBlock shortcut = new SequentialBlock()
                .add(conv(filters, 1, stride))
                .add(BatchNorm.builder().build());
        return new SequentialBlock()
                .add(new ParallelBlock(
                        branches -> new NDList(branches.get(0).singletonOrThrow().add(branches.get(1).singletonOrThrow())),
                        List.of(main, shortcut)))
                .add(Activation.reluBlock());
    }
}
