package io.medssl.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The backbone as named stages (stem, stage1..3), so fine-tuning can freeze, unfreeze and give
 * learning rates per stage. Input (N, 1, S, S) → [embedding (N, 4×width), feature map
 * (N, 4×width, S/8, S/8)].
 *
 * <p>A frozen stage has no trainable parameters and runs in inference mode even while training, so
 * its BatchNorm running statistics stay as they were; without that, a "frozen" stage still drifts
 * with every batch. {@link #setBatchNormFrozen} keeps every stage's BatchNorm in inference mode
 * (small fine-tuning batches would otherwise overwrite statistics learned on far more images).
 */
public final class StagedBackbone extends AbstractBlock {
    public static final List<String> STAGES = List.of("stem", "stage1", "stage2", "stage3");
    private static final byte VERSION = 1;
    /** Running mean/variance are not trained; freezing must leave them alone. */
    private static final Predicate<Parameter> TRAINABLE = p -> p.getType() != Parameter.Type.RUNNING_MEAN
            && p.getType() != Parameter.Type.RUNNING_VAR;

    private final List<Block> stages = new ArrayList<>();
    private final int embedding;
    private int frozenStages;
    private boolean batchNormFrozen;

    StagedBackbone(List<Block> stages, int embedding) {
        super(VERSION);
        if (stages.size() != STAGES.size()) {
            throw new IllegalArgumentException("expected stages " + STAGES);
        }
        for (int i = 0; i < stages.size(); i++) {
            this.stages.add(addChildBlock(STAGES.get(i), stages.get(i)));
        }
        this.embedding = embedding;
    }

    /** Freezes the first {@code count} stages (0 = all trainable, 4 = whole backbone frozen). */
    public void freezeStages(int count) {
        if (count < 0 || count > stages.size()) {
            throw new IllegalArgumentException("can freeze 0.." + stages.size() + " stages, not " + count);
        }
        for (int i = 0; i < stages.size(); i++) {
            stages.get(i).freezeParameters(i < count, TRAINABLE);
        }
        frozenStages = count;
    }

    public int frozenStages() {
        return frozenStages;
    }

    public void setBatchNormFrozen(boolean frozen) {
        batchNormFrozen = frozen;
    }

    public List<Block> stages() {
        return List.copyOf(stages);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = inputs;
        for (int i = 0; i < stages.size(); i++) {
            boolean train = training && i >= frozenStages && !batchNormFrozen;
            x = stages.get(i).forward(store, x, train, params);
        }
        NDArray features = x.singletonOrThrow();
        Shape s = features.getShape();
        NDArray pooled = features.reshape(s.get(0), s.get(1), -1).mean(new int[] {2});
        return new NDList(pooled, features);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        long n = in.get(0);
        long side = in.get(2) / 8;
        return new Shape[] {new Shape(n, embedding), new Shape(n, embedding, side, side)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape shape = inputShapes[0];
        for (Block stage : stages) {
            stage.initialize(manager, dataType, shape);
            shape = stage.getOutputShapes(new Shape[] {shape})[0];
        }
    }
}
