package io.medssl.pretext.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.medssl.imaging.GrayImage;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RelativePositionTaskTest {
    static final int S = 63;

    @Test
    void theLabelMatchesWhereTheNeighbourWasTaken() {
        // Each grid cell is filled with its own value: a tile tells which cell it came from.
        float[] p = new float[S * S];
        for (int r = 0; r < S; r++) {
            for (int c = 0; c < S; c++) {
                p[r * S + c] = ((r / 21) * 3 + (c / 21)) / 8f;
            }
        }
        RelativePositionTask task = new RelativePositionTask(S, 0.25, 50);
        List<TaskSample> samples = task.generate(List.of(new GrayImage(S, S, p)), new SplittableRandom(3));
        assertThat(samples).hasSize(50);
        assertThat(samples).extracting(TaskSample::label).containsAll(List.of(0, 1, 2, 3, 4, 5, 6, 7));
        int t = task.inputShape(S)[1];
        for (TaskSample s : samples) {
            assertThat(TestImages.channel(s.input(), 0, t)).containsOnly(4 / 8f);
            assertThat(TestImages.channel(s.input(), 1, t)).containsOnly(RelativePositionTask.NEIGHBOURS[s.label()] / 8f);
        }
    }
}
