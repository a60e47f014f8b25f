package io.medssl.pretext.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.medssl.imaging.GrayImage;
import io.medssl.imaging.Resampling;
import java.util.List;
import java.util.Random;
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
        List<PretextSample> samples = new RotationTask().samples(source);
        assertThat(samples).extracting(PretextSample::label).containsExactly(0, 1, 2, 3);
        for (PretextSample s : samples) {
            GrayImage back = Resampling.rotate90(new GrayImage(8, 8, s.input()), -s.label());
            assertThat(back.pixels()).containsExactly(p);
        }
        // Distinct rotations of an asymmetric image are distinct inputs.
        assertThat(samples.get(1).input()).isNotEqualTo(samples.get(0).input());
    }

    @Test
    void descriptorTellsTheTrainerWhatHeadToBuild() {
        var d = new RotationTask().descriptor();
        assertThat(d.name()).isEqualTo("rotation");
        assertThat(d.kind()).isEqualTo("classification");
        assertThat(d.classes()).isEqualTo(4);
        assertThat(RotationTask.labels()).hasSize(4);
    }
}
