package io.medssl.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * One backbone, one head per pretext task. Input: the tasks' arrays in head order (two for a
 * {@link PretextHead.Layout#VIEWS} head); output: one array per input array — logits, a
 * reconstructed image, or a projected embedding. Every full-size image of a step goes through the
 * backbone in one batch (one big convolution is faster than several small ones, and BatchNorm
 * sees every task's images).
 *
 * <p>Reconstruction heads are patch-wise linear decoders (MAE-style): a 1×1 convolution on the
 * last feature map predicts the 8×8 pixels each position covers.
 */
public final class MultiTaskNetwork extends AbstractBlock {
    private static final byte VERSION = 1;
    static final int PATCH = 8;

    private final NetworkSpec spec;
    private final StagedBackbone backbone;
    private final List<PretextHead> heads;
    private final List<Block> headBlocks = new ArrayList<>();

    MultiTaskNetwork(NetworkSpec spec, StagedBackbone backbone, List<PretextHead> heads, List<Block> headBlocks) {
        super(VERSION);
        this.spec = spec;
        this.backbone = addChildBlock("backbone", backbone);
        this.heads = List.copyOf(heads);
        for (int i = 0; i < heads.size(); i++) {
            this.headBlocks.add(addChildBlock("head_" + heads.get(i).task().replaceAll("[^A-Za-z0-9]", "_"), headBlocks.get(i)));
        }
    }

    public StagedBackbone backbone() {
        return backbone;
    }

    public List<PretextHead> heads() {
        return heads;
    }

    /** The head block of a task, e.g. to publish backbone + rotation head as a servable classifier. */
    public Block headBlock(String task) {
        for (int i = 0; i < heads.size(); i++) {
            if (heads.get(i).task().equals(task)) {
                return headBlocks.get(i);
            }
        }
        throw new IllegalArgumentException("no head for task " + task);
    }

    /** Forward parameter naming the one head to run (its inputs only), e.g. for validation per task. */
    public static final String ONLY_TASK = "task";

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        Object only = params == null ? null : params.get(ONLY_TASK);
        List<Integer> active = new ArrayList<>();
        for (int h = 0; h < heads.size(); h++) {
            if (only == null || heads.get(h).task().equals(only)) {
                active.add(h);
            }
        }
        int expected = active.stream().mapToInt(h -> heads.get(h).arrays()).sum();
        if (inputs.size() != expected) {
            throw new IllegalArgumentException("expected " + expected + " input arrays for heads " + heads + ", got " + inputs.size());
        }
        // Full-size images of every head, in input order, through the backbone as one batch.
        List<NDArray> full = new ArrayList<>();
        int at = 0;
        for (int h : active) {
            PretextHead head = heads.get(h);
            for (int k = 0; k < head.arrays(); k++, at++) {
                NDArray x = inputs.get(at);
                switch (head.layout()) {
                    case TILES -> { }
                    case MASKED_RECONSTRUCTION -> full.add(x.get(":, 0:1, :, :"));
                    default -> full.add(x);
                }
            }
        }
        NDArray embeddings = null;
        NDArray features = null;
        if (!full.isEmpty()) {
            NDList out = backbone.forward(store, new NDList(full.size() == 1 ? full.get(0) : NDArrays.concat(new NDList(full), 0)),
                    training, params);
            embeddings = out.get(0);
            features = out.get(1);
        }
        NDList outputs = new NDList(expected);
        long row = 0;
        at = 0;
        for (int h : active) {
            PretextHead head = heads.get(h);
            Block block = headBlocks.get(h);
            for (int k = 0; k < head.arrays(); k++, at++) {
                NDArray x = inputs.get(at);
                long n = x.getShape().get(0);
                switch (head.layout()) {
                    case TILES -> {
                        Shape s = x.getShape();
                        NDArray tiles = x.reshape(n * s.get(1), 1, s.get(2), s.get(3));
                        NDArray e = backbone.forward(store, new NDList(tiles), training, params).get(0);
                        outputs.add(block.forward(store, new NDList(e.reshape(n, -1)), training, params).singletonOrThrow());
                    }
                    case RECONSTRUCTION, MASKED_RECONSTRUCTION -> {
                        NDArray f = features.get(row + ":" + (row + n));
                        NDArray patches = block.forward(store, new NDList(f), training, params).singletonOrThrow();
                        outputs.add(unpatchify(patches));
                        row += n;
                    }
                    default -> {
                        NDArray e = embeddings.get(row + ":" + (row + n));
                        outputs.add(block.forward(store, new NDList(e), training, params).singletonOrThrow());
                        row += n;
                    }
                }
            }
        }
        return outputs;
    }

    /** (N, P·P, h, w) per-position patches → (N, 1, h·P, w·P) image. */
    static NDArray unpatchify(NDArray patches) {
        Shape s = patches.getShape();
        long n = s.get(0);
        long h = s.get(2);
        long w = s.get(3);
        return patches.reshape(n, PATCH, PATCH, h, w).transpose(0, 3, 1, 4, 2).reshape(n, 1, h * PATCH, w * PATCH);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] out = new Shape[inputShapes.length];
        int at = 0;
        for (int h = 0; h < heads.size(); h++) {
            PretextHead head = heads.get(h);
            for (int k = 0; k < head.arrays(); k++, at++) {
                long n = inputShapes[at].get(0);
                out[at] = switch (head.layout()) {
                    case IMAGE_CLASSIFICATION, TILES -> new Shape(n, head.classes());
                    case RECONSTRUCTION, MASKED_RECONSTRUCTION -> new Shape(n, 1, spec.inputSize(), spec.inputSize());
                    case VIEWS -> headBlocks.get(h).getOutputShapes(new Shape[] {new Shape(n, spec.embeddingSize())})[0];
                };
            }
        }
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        int s = spec.inputSize();
        int e = spec.embeddingSize();
        backbone.initialize(manager, dataType, new Shape(1, 1, s, s));
        for (int h = 0; h < heads.size(); h++) {
            PretextHead head = heads.get(h);
            Shape in = switch (head.layout()) {
                case TILES -> new Shape(1, (long) head.tiles() * e);
                case RECONSTRUCTION, MASKED_RECONSTRUCTION -> new Shape(1, e, s / PATCH, s / PATCH);
                default -> new Shape(1, e);
            };
            headBlocks.get(h).initialize(manager, dataType, in);
        }
    }
}
