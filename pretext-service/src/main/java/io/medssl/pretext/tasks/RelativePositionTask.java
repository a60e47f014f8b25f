package io.medssl.pretext.tasks;

import io.medssl.imaging.GrayImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Context prediction (Doersch et al., 2015): the centre tile of a 3×3 grid and one of its eight
 * neighbours (with gap and jitter); the target is where the neighbour sits. Channel 0 is the
 * centre, channel 1 the neighbour; class k is grid cell {@link #NEIGHBOURS}[k].
 */
public final class RelativePositionTask extends BasePretextTask {
    public static final String NAME = "relative-position";
    /** Grid cells (row-major) of the neighbours, in class order: top-left, top, top-right, left, right, bottom-left, bottom, bottom-right. */
    public static final int[] NEIGHBOURS = {0, 1, 2, 3, 5, 6, 7, 8};
    private static final int CENTRE = 4;

    private final int size;
    private final PatchGrid grid;
    private final int pairsPerFrame;

    public RelativePositionTask(int size, double gapFraction, int pairsPerFrame) {
        super(NAME, NEIGHBOURS.length);
        this.size = size;
        this.grid = new PatchGrid(size, gapFraction);
        this.pairsPerFrame = pairsPerFrame;
    }

    @Override
    public int[] inputShape(int size) {
        return new int[] {2, grid.tile(), grid.tile()};
    }

    @Override
    public List<TaskSample> generate(List<GrayImage> frames, SplittableRandom random) {
        List<TaskSample> out = new ArrayList<>();
        int t = grid.tile();
        for (GrayImage frame : frames) {
            if (frame.rows() != size || frame.cols() != size) {
                throw new IllegalArgumentException(NAME + " expects " + size + "x" + size + " frames");
            }
            for (int n = 0; n < pairsPerFrame; n++) {
                int label = random.nextInt(NEIGHBOURS.length);
                float[] input = new float[2 * t * t];
                grid.copyTile(frame, grid.tileOrigin(CENTRE, random), input, 0);
                grid.copyTile(frame, grid.tileOrigin(NEIGHBOURS[label], random), input, t * t);
                out.add(TaskSample.classified(input, label));
            }
        }
        return out;
    }
}
