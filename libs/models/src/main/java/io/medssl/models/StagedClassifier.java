package io.medssl.models;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Backbone plus a linear head: input (N, 1, S, S) → logits (N, classes). What inference serves. */
public final class StagedClassifier extends AbstractBlock {
    private static final byte VERSION = 1;
    private final StagedBackbone backbone;
    private final Block head;

    StagedClassifier(StagedBackbone backbone, Block head) {
        super(VERSION);
        this.backbone = addChildBlock("backbone", backbone);
        this.head = addChildBlock("head", head);
    }

    public StagedBackbone backbone() {
        return backbone;
    }

    public Block head() {
        return head;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList features = backbone.forward(store, inputs, training, params);
        return head.forward(store, new NDList(features.get(0)), training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return head.getOutputShapes(new Shape[] {backbone.getOutputShapes(inputShapes)[0]});
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        backbone.initialize(manager, dataType, inputShapes);
        head.initialize(manager, dataType, backbone.getOutputShapes(inputShapes)[0]);
    }
}
