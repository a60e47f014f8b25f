package io.medssl.pretext.tasks;

import io.medssl.imaging.GrayImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Jigsaw puzzles (Noroozi & Favaro, 2016): the nine tiles of a 3×3 grid (with gap and jitter) in
 * the order of one of K permutations; the target is the permutation's index. Input channel i holds
 * the tile of grid cell {@code permutation[i]}.
 */
public final class JigsawTask extends BasePretextTask {
    public static final String NAME = "jigsaw";

    private final int size;
    private final PatchGrid grid;
    private final int[][] permutations;
    private final int puzzlesPerFrame;

    public JigsawTask(int size, int permutationCount, double gapFraction, int puzzlesPerFrame) {
        super(NAME, permutationCount);
        this.size = size;
        this.grid = new PatchGrid(size, gapFraction);
        this.permutations = MaximalHammingPermutations.of(permutationCount);
        this.puzzlesPerFrame = puzzlesPerFrame;
    }

    public int[][] permutations() {
        return permutations;
    }

    @Override
    public int[] inputShape(int size) {
        return new int[] {PatchGrid.CELLS * PatchGrid.CELLS, grid.tile(), grid.tile()};
    }

    @Override
    public List<TaskSample> generate(List<GrayImage> frames, SplittableRandom random) {
        List<TaskSample> out = new ArrayList<>();
        int t = grid.tile();
        for (GrayImage frame : frames) {
            requireSize(frame);
            for (int n = 0; n < puzzlesPerFrame; n++) {
                int label = random.nextInt(permutations.length);
                int[] permutation = permutations[label];
                float[] input = new float[9 * t * t];
                for (int i = 0; i < 9; i++) {
                    grid.copyTile(frame, grid.tileOrigin(permutation[i], random), input, i * t * t);
                }
                out.add(TaskSample.classified(input, label));
            }
        }
        return out;
    }

    private void requireSize(GrayImage frame) {
        if (frame.rows() != size || frame.cols() != size) {
            throw new IllegalArgumentException(NAME + " expects " + size + "x" + size + " frames");
        }
    }
}
