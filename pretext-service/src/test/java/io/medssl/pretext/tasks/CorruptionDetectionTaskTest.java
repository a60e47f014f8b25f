package io.medssl.pretext.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.medssl.imaging.GrayImage;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CorruptionDetectionTaskTest {
    static final int S = 64;

    private static TaskSample sample(GrayImage image, Corruption c, long seed) {
        List<TaskSample> all = new CorruptionDetectionTask().generate(List.of(image), new SplittableRandom(seed));
        assertThat(all).extracting(TaskSample::label).containsExactly(0, 1, 2, 3, 4, 5);
        return all.get(c.ordinal());
    }

    /** A smooth image away from 0 and 1, so no corruption is clipped. */
    private static GrayImage smooth() {
        float[] p = new float[S * S];
        for (int r = 0; r < S; r++) {
            for (int c = 0; c < S; c++) {
                p[r * S + c] = (float) (0.5 + 0.2 * Math.sin(r / 7.0) * Math.cos(c / 5.0));
            }
        }
        return new GrayImage(S, S, p);
    }

    private static double totalVariation(float[] p) {
        double tv = 0;
        for (int r = 0; r < S; r++) {
            for (int c = 1; c < S; c++) {
                tv += Math.abs(p[r * S + c] - p[r * S + c - 1]);
            }
        }
        return tv;
    }

    private static double mean(float[] p) {
        double s = 0;
        for (float v : p) {
            s += v;
        }
        return s / p.length;
    }

    @Test
    void cleanIsTheSource() {
        GrayImage image = TestImages.noise(S, 1);
        assertThat(sample(image, Corruption.CLEAN, 1).input()).containsExactly(image.pixels());
    }

    @Test
    void noiseIsZeroMeanWithTheDocumentedStrength() {
        GrayImage image = TestImages.constant(S, 0.5f);
        for (long seed = 0; seed < 10; seed++) {
            float[] out = sample(image, Corruption.NOISE, seed).input();
            double m = mean(out);
            double var = 0;
            for (float v : out) {
                var += (v - m) * (v - m);
            }
            double sd = Math.sqrt(var / out.length);
            assertThat(m).isCloseTo(0.5, within(0.01));
            assertThat(sd).isBetween(0.035, 0.13);
        }
    }

    @Test
    void blurKeepsTheMeanAndRemovesDetail() {
        GrayImage image = TestImages.noise(S, 2);
        float[] out = sample(image, Corruption.BLUR, 3).input();
        assertThat(mean(out)).isCloseTo(mean(image.pixels()), within(0.01));
        assertThat(totalVariation(out)).isLessThan(0.5 * totalVariation(image.pixels()));
    }

    @Test
    void patchSwapOnlyMovesPixels() {
        GrayImage image = TestImages.noise(S, 3);
        for (long seed = 0; seed < 10; seed++) {
            float[] out = sample(image, Corruption.PATCH_SWAP, seed).input();
            float[] a = out.clone();
            float[] b = image.pixels().clone();
            Arrays.sort(a);
            Arrays.sort(b);
            assertThat(a).containsExactly(b);
            long changed = java.util.stream.IntStream.range(0, out.length).filter(i -> out[i] != image.pixels()[i]).count();
            assertThat(changed).isBetween(2L * (S / 8) * (S / 8), 2L * (S / 4) * (S / 4));
        }
    }

    @Test
    void ghostingAddsAShiftedFainterCopy() {
        // A bright square on black: the ghost shows up as a second, fainter square.
        float[] p = new float[S * S];
        for (int r = 28; r < 36; r++) {
            for (int c = 28; c < 36; c++) {
                p[r * S + c] = 1f;
            }
        }
        float[] out = sample(new GrayImage(S, S, p), Corruption.GHOSTING, 4).input();
        long faint = 0;
        long bright = 0;
        for (int i = 0; i < out.length; i++) {
            if (p[i] == 0 && out[i] > 0.2f && out[i] < 0.5f) {
                faint++;
            }
            if (p[i] == 1 && out[i] > 0.5f) {
                bright++;
            }
        }
        assertThat(faint).isEqualTo(64);
        assertThat(bright).isEqualTo(64);
    }

    @Test
    void biasFieldIsASmoothRampWithinTheDocumentedRange() {
        GrayImage image = TestImages.constant(S, 0.5f);
        float[] out = sample(image, Corruption.BIAS_FIELD, 5).input();
        for (int r = 1; r < S - 1; r++) {
            for (int c = 1; c < S - 1; c++) {
                // A linear field: second differences vanish.
                assertThat(out[r * S + c - 1] - 2 * out[r * S + c] + out[r * S + c + 1]).isCloseTo(0f, within(1e-5f));
                assertThat(out[r * S + c]).isBetween(0.5f * 0.6f, 0.5f * 1.4f);
            }
        }
        assertThat(totalVariation(out)).isGreaterThan(0.0);
        GrayImage smooth = smooth();
        assertThat(sample(smooth, Corruption.BIAS_FIELD, 6).input()).isNotEqualTo(smooth.pixels());
    }
}
