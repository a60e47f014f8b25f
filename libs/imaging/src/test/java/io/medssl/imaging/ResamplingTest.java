package io.medssl.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ResamplingTest {

    private static GrayImage ramp(int rows, int cols) {
        float[] p = new float[rows * cols];
        for (int i = 0; i < p.length; i++) {
            p[i] = i;
        }
        return new GrayImage(rows, cols, p);
    }

    @Test
    void rotate90MatchesNumpyRot90() {
        // numpy.rot90([[0,1,2],[3,4,5]]) == [[2,5],[1,4],[0,3]]
        GrayImage r1 = Resampling.rotate90(ramp(2, 3), 1);
        assertThat(r1.rows()).isEqualTo(3);
        assertThat(r1.pixels()).containsExactly(2, 5, 1, 4, 0, 3);
        // numpy.rot90(m, 2) == [[5,4,3],[2,1,0]]; rot90(m, 3) == [[3,0],[4,1],[5,2]]
        assertThat(Resampling.rotate90(ramp(2, 3), 2).pixels()).containsExactly(5, 4, 3, 2, 1, 0);
        assertThat(Resampling.rotate90(ramp(2, 3), 3).pixels()).containsExactly(3, 0, 4, 1, 5, 2);
    }

    @Test
    void fourQuarterTurnsAreTheIdentity() {
        GrayImage img = ramp(5, 7);
        GrayImage back = img;
        for (int i = 0; i < 4; i++) {
            back = Resampling.rotate90(back, 1);
        }
        assertThat(back.pixels()).containsExactly(img.pixels());
        assertThat(Resampling.rotate90(Resampling.rotate90(img, 1), -1).pixels()).containsExactly(img.pixels());
    }

    @Test
    void areaResizeAveragesBlocks() {
        // 4x4 ramp -> 2x2: each output is the mean of a 2x2 block.
        GrayImage out = Resampling.resizeArea(ramp(4, 4), 0, 0, 4, 4, 2, 2);
        assertThat(out.pixels()).containsExactly(2.5f, 4.5f, 10.5f, 12.5f);
    }

    @Test
    void fractionalAreasAreWeighted() {
        // 3 columns to 2: outputs cover [0,1.5) and [1.5,3).
        GrayImage out = Resampling.resizeArea(new GrayImage(1, 3, new float[] {0, 3, 6}), 0, 0, 1, 3, 1, 2);
        assertThat(out.pixels()[0]).isCloseTo((0 * 1 + 3 * 0.5f) / 1.5f, within(1e-6f));
        assertThat(out.pixels()[1]).isCloseTo((3 * 0.5f + 6 * 1) / 1.5f, within(1e-6f));
    }

    @Test
    void modelInputCropsTheCentreSquare() {
        // 2x4 image: centre square is columns 1..2.
        GrayImage img = new GrayImage(2, 4, new float[] {9, 1, 2, 9, 9, 3, 4, 9});
        GrayImage sq = ModelInput.square(img, 2);
        assertThat(sq.pixels()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void modelInputOfAnImageAlreadyAtTheModelSizeEqualsTheAreaResize() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        float[] pixels = new float[16 * 16];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextDouble(-2, 2);
        }
        GrayImage img = new GrayImage(16, 16, pixels);
        assertThat(ModelInput.square(img, 16).pixels())
                .containsExactly(Resampling.resizeArea(img, 0, 0, 16, 16, 16, 16).pixels());
    }
}
