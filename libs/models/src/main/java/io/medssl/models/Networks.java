package io.medssl.models;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.List;

/** The one place that builds MedSSL's networks, shared by trainer (to train) and inference (to load). */
public final class Networks {
    private Networks() {
    }

    /** Backbone and head in sequence: input (N, 1, S, S) → logits (N, classes). */
    public static SequentialBlock classifier(NetworkSpec spec) {
        SequentialBlock net = new SequentialBlock();
        net.add(backbone(spec));
        net.add(Linear.builder().setUnits(spec.classes()).build());
        return net;
    }

    /** Input (N, 1, S, S) → embedding (N, 4×width). */
    public static SequentialBlock backbone(NetworkSpec spec) {
        int w = spec.width();
        SequentialBlock backbone = new SequentialBlock()
                .add(conv(w, 3, 1))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(residual(w, 2))
                .add(residual(2 * w, 2))
                .add(residual(4 * w, 2))
                .add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock());
        return backbone;
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
