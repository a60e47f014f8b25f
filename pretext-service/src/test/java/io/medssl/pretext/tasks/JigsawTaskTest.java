package io.medssl.pretext.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.medssl.imaging.GrayImage;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JigsawTaskTest {
    static final int S = 64;

    @Test
    void permutationsAreDistinctFarApartAndDeterministic() {
        int[][] p = MaximalHammingPermutations.of(100);
        assertThat(p).hasNumberOfRows(100);
        assertThat(p[0]).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8);
        Set<String> distinct = new HashSet<>();
        int minDistance = Integer.MAX_VALUE;
        for (int i = 0; i < p.length; i++) {
            distinct.add(Arrays.toString(p[i]));
            assertThat(p[i]).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8);
            for (int j = i + 1; j < p.length; j++) {
                int d = 0;
                for (int k = 0; k < 9; k++) {
                    d += p[i][k] != p[j][k] ? 1 : 0;
                }
                minDistance = Math.min(minDistance, d);
            }
        }
        assertThat(distinct).hasSize(100);
        assertThat(minDistance).as("smallest Hamming distance between two chosen permutations").isGreaterThanOrEqualTo(6);
        assertThat(MaximalHammingPermutations.of(100)).isSameAs(p);
    }

    @Test
    void thePermutationIndexReassemblesTheTiles() {
        GrayImage image = TestImages.noise(S, 5);
        JigsawTask task = new JigsawTask(S, 100, 0.25, 3);
        PatchGrid grid = new PatchGrid(S, 0.25);
        int t = grid.tile();
        List<TaskSample> samples = task.generate(List.of(image), new SplittableRandom(9));
        assertThat(samples).hasSize(3);
        for (TaskSample sample : samples) {
            int[] permutation = task.permutations()[sample.label()];
            for (int i = 0; i < 9; i++) {
                // Tile i must be a crop of cell permutation[i], somewhere inside the cell (jitter).
                float[] tile = TestImages.channel(sample.input(), i, t);
                int cell = permutation[i];
                assertThat(foundInCell(image, grid, cell, tile)).as("tile %d from cell %d", i, cell).isTrue();
            }
        }
    }

    private static boolean foundInCell(GrayImage image, PatchGrid grid, int cell, float[] tile) {
        int t = grid.tile();
        int slack = grid.cell() - t;
        for (int oy = 0; oy <= slack; oy++) {
            for (int ox = 0; ox <= slack; ox++) {
                float[] crop = new float[t * t];
                grid.copyTile(image, new int[] {(cell / 3) * grid.cell() + oy, (cell % 3) * grid.cell() + ox}, crop, 0);
                if (Arrays.equals(crop, tile)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void shapesAndClassesComeFromTheConfiguration() {
        JigsawTask task = new JigsawTask(S, 30, 0.25, 1);
        assertThat(task.classes()).isEqualTo(30);
        assertThat(task.inputShape(S)).containsExactly(9, 16, 16);
    }
}
