package io.medssl.pretext.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.medssl.imaging.GrayImage;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class IntensityAndInpaintingTaskTest {
    static final int S = 32;

    @Test
    void intensityRestorationTargetsTheOriginalFromAMonotoneCoarseDegradation() {
        GrayImage image = TestImages.noise(S, 2);
        for (long seed = 0; seed < 20; seed++) {
            TaskSample s = new IntensityRestorationTask().generate(List.of(image), new SplittableRandom(seed)).get(0);
            assertThat(s.target()).containsExactly(image.pixels());
            assertThat(s.input()).isNotEqualTo(image.pixels());
            long levels = IntStream.range(0, s.input().length).mapToDouble(i -> s.input()[i]).distinct().count();
            assertThat(levels).isBetween(2L, 16L);
            // A window/gamma/quantisation never reorders intensities.
            Integer[] order = IntStream.range(0, S * S).boxed().toArray(Integer[]::new);
            Arrays.sort(order, Comparator.comparingDouble(i -> image.pixels()[i]));
            for (int k = 1; k < order.length; k++) {
                assertThat(s.input()[order[k]]).isGreaterThanOrEqualTo(s.input()[order[k - 1]]);
            }
        }
    }

    @Test
    void inpaintingBlanksOnlyTheMaskedPixelsAndTargetsTheOriginal() {
        GrayImage image = TestImages.noise(S, 4);
        int n = S * S;
        for (long seed = 0; seed < 20; seed++) {
            TaskSample s = new InpaintingTask().generate(List.of(image), new SplittableRandom(seed)).get(0);
            assertThat(s.target()).containsExactly(image.pixels());
            int masked = 0;
            for (int i = 0; i < n; i++) {
                float mask = s.input()[n + i];
                assertThat(mask).isIn(0f, 1f);
                if (mask == 1f) {
                    masked++;
                    assertThat(s.input()[i]).isZero();
                } else {
                    assertThat(s.input()[i]).isEqualTo(image.pixels()[i]);
                }
            }
            assertThat(masked).isBetween((S / 8) * (S / 8), 3 * (S / 4) * (S / 4));
        }
    }
}
