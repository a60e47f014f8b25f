package io.medssl.pretext.tasks;

import io.medssl.imaging.GrayImage;
import java.util.SplittableRandom;

/**
 * A 3×3 grid of cells over a square frame, with one tile per cell that is smaller than the cell
 * (a gap) and placed at a random offset inside it (jitter), so that a network can't solve patch
 * tasks by matching edges or continuing lines across tile borders (Doersch et al., 2015).
 */
public final class PatchGrid {
    public static final int CELLS = 3;

    private final int cell;
    private final int tile;

    /** {@code gapFraction} of each cell side is left out of its tile (0.25 → tiles are 3/4 of a cell). */
    public PatchGrid(int size, double gapFraction) {
        this.cell = size / CELLS;
        this.tile = Math.max(2, (int) Math.round(cell * (1 - gapFraction)));
        if (tile > cell) {
            throw new IllegalArgumentException("gap fraction must be in [0, 1)");
        }
    }

    public int tile() {
        return tile;
    }

    public int cell() {
        return cell;
    }

    /** Top-left corner (row, col) of the tile of grid cell {@code index} (row-major 0..8), jittered. */
    public int[] tileOrigin(int index, SplittableRandom random) {
        int slack = cell - tile;
        int oy = slack == 0 ? 0 : random.nextInt(slack + 1);
        int ox = slack == 0 ? 0 : random.nextInt(slack + 1);
        return new int[] {(index / CELLS) * cell + oy, (index % CELLS) * cell + ox};
    }

    /** Copies the tile at (top, left) of {@code image} into {@code out} at {@code offset}. */
    public void copyTile(GrayImage image, int[] origin, float[] out, int offset) {
        float[] p = image.pixels();
        for (int r = 0; r < tile; r++) {
            System.arraycopy(p, (origin[0] + r) * image.cols() + origin[1], out, offset + r * tile, tile);
        }
    }
}
