package io.medssl.pretext.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.medssl.imaging.GrayImage;
import io.medssl.imaging.Resampling;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RotationTaskTest {

    @Test
    void rotatingEachSampleBackByItsLabelRecoversTheSource() {
        Random random = new Random(7);
        float[] p = new float[8 * 8];
        for (int i = 0; i < p.length; i++) {
            p[i] = random.nextFloat();
        }
        GrayImage source = new GrayImage(8, 8, p);
        List<TaskSample> samples = new RotationTask().generate(List.of(source), new SplittableRandom(1));
        assertThat(samples).extracting(TaskSample::label).containsExactly(0, 1, 2, 3);
        for (TaskSample s : samples) {
            GrayImage back = Resampling.rotate90(new GrayImage(8, 8, s.input()), -s.label());
            assertThat(back.pixels()).containsExactly(p);
        }
        // Distinct rotations of an asymmetric image are distinct inputs.
        assertThat(samples.get(1).input()).isNotEqualTo(samples.get(0).input());
    }

    @Test
    void descriptorTellsTheTrainerWhatHeadToBuild() {
        var d = new RotationTask().descriptor(64, 8);
        assertThat(d.name()).isEqualTo("rotation");
        assertThat(d.kind()).isEqualTo("classification");
        assertThat(d.classes()).isEqualTo(4);
        assertThat(d.inputShape()).containsExactly(1, 64, 64);
        assertThat(d.samples()).isEqualTo(8);
        assertThat(d.inputArray()).isEqualTo("rotation_x");
        assertThat(d.targetArray()).isEqualTo("rotation_y");
        assertThat(RotationTask.labels()).hasSize(4);
    }
}
