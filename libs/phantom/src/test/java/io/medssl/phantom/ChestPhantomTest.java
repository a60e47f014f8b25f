package io.medssl.phantom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChestPhantomTest {
    private static final int SEEDS = 40;

    @Test
    void theSameSeedGivesTheSameSliceAndAnotherSeedAnother() {
        for (PhantomClass c : PhantomClass.values()) {
            PhantomSlice first = ChestPhantom.render(42, c);
            PhantomSlice again = ChestPhantom.render(42, c);
            assertThat(again.hounsfield()).containsExactly(first.hounsfield());
            assertThat(again.lungMask()).containsExactly(first.lungMask());
            assertThat(again.findingMask()).containsExactly(first.findingMask());
            assertThat(ChestPhantom.render(43, c).hounsfield()).isNotEqualTo(first.hounsfield());
        }
    }

    @Test
    void geometryFollowsTheRequestedSize() {
        PhantomSlice s = ChestPhantom.render(1, PhantomClass.NORMAL, 96, 128);
        assertThat(s.rows()).isEqualTo(96);
        assertThat(s.cols()).isEqualTo(128);
        assertThat(s.hounsfield()).hasSize(96 * 128);
        assertThat(s.pixelSpacingMm()).isEqualTo(ChestPhantom.FIELD_OF_VIEW_MM / 128);
        assertThat(ChestPhantom.render(1, PhantomClass.NORMAL).pixelSpacingMm()).isEqualTo(3.125);
        assertThatThrownBy(() -> ChestPhantom.render(1, PhantomClass.NORMAL, 16, 16)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void looksLikeAChestCt() {
        for (long seed = 0; seed < 10; seed++) {
            PhantomSlice s = ChestPhantom.render(seed, PhantomClass.NORMAL);
            // Corner: air, give or take noise and the scanner's calibration (gain ±4 %, offset ±15 HU).
            assertThat(mean(s, 0, 0, 8, 8)).isBetween(-1030.0, -930.0);
            // Lungs: both sides, together 7 % to 33 % of the field of view (15 % on average), aerated.
            int left = 0;
            int right = 0;
            double lungSum = 0;
            for (int r = 0; r < s.rows(); r++) {
                for (int c = 0; c < s.cols(); c++) {
                    if (s.lungMask()[r * s.cols() + c]) {
                        lungSum += s.at(r, c);
                        if (c < s.cols() / 2) {
                            left++;
                        } else {
                            right++;
                        }
                    }
                }
            }
            int n = s.rows() * s.cols();
            assertThat(left).isGreaterThan(n / 50);
            assertThat(right).isGreaterThan(n / 50);
            assertThat(left + right).isBetween(n / 14, n / 3);
            assertThat(lungSum / (left + right)).isBetween(-920.0, -650.0);
            // Bone (spine, ribs, sternum) and soft tissue exist.
            assertThat(count(s, v -> v > 350)).isGreaterThan(20);
            assertThat(count(s, v -> v > -150 && v < 150)).isGreaterThan(n / 20);
            // Nothing but the noise-free clamp limits.
            for (short v : s.hounsfield()) {
                assertThat((int) v).isBetween((int) ChestPhantom.MIN_HU, (int) ChestPhantom.MAX_HU);
            }
        }
    }

    @Test
    void findingsAppearOnlyInTheirClassAndInsideTheLungs() {
        for (long seed = 0; seed < SEEDS; seed++) {
            assertThat(count(ChestPhantom.render(seed, PhantomClass.NORMAL).findingMask())).isZero();
            for (PhantomClass c : new PhantomClass[] {PhantomClass.NODULE, PhantomClass.EFFUSION}) {
                PhantomSlice s = ChestPhantom.render(seed, c);
                int finding = count(s.findingMask());
                int inLung = 0;
                for (int i = 0; i < s.findingMask().length; i++) {
                    if (s.findingMask()[i] && s.lungMask()[i]) {
                        inLung++;
                    }
                }
                assertThat(finding).as("%s seed %d", c, seed).isPositive();
                // Masks are taken at pixel centres, findings from sub-samples: the rim may stick out.
                assertThat(inLung).as("%s seed %d", c, seed).isGreaterThanOrEqualTo(finding / 2);
            }
        }
    }

    @Test
    void nodulesAddDenseLungPixelsAndEffusionsAddPosteriorFluid() {
        double[] dense = new double[3];
        double[] fluid = new double[3];
        for (PhantomClass c : PhantomClass.values()) {
            for (long seed = 0; seed < SEEDS; seed++) {
                PhantomSlice s = ChestPhantom.render(seed, c);
                dense[c.ordinal()] += features(s)[0] / SEEDS;
                fluid[c.ordinal()] += features(s)[1] / SEEDS;
            }
        }
        assertThat(dense[PhantomClass.NODULE.ordinal()]).isGreaterThan(dense[PhantomClass.NORMAL.ordinal()] + 3);
        assertThat(fluid[PhantomClass.EFFUSION.ordinal()]).isGreaterThan(3 * fluid[PhantomClass.NORMAL.ordinal()] + 20);
    }

    /**
     * The brief: not trivial. The obvious hand-made features (dense pixels in the lungs for nodules,
     * fluid-density pixels in the posterior lungs for effusions) must not separate the classes
     * perfectly, because vessels, ribs, dependent density and noise mimic small findings.
     */
    @Test
    void obviousFeaturesDoNotSeparateTheClasses() {
        List<double[]> normal = new ArrayList<>();
        List<double[]> nodule = new ArrayList<>();
        List<double[]> effusion = new ArrayList<>();
        for (long seed = 100; seed < 100 + 2 * SEEDS; seed++) {
            normal.add(features(ChestPhantom.render(seed, PhantomClass.NORMAL)));
            nodule.add(features(ChestPhantom.render(seed, PhantomClass.NODULE)));
            effusion.add(features(ChestPhantom.render(seed, PhantomClass.EFFUSION)));
        }
        double noduleAuc = auc(nodule, normal, 0);
        double effusionAuc = auc(effusion, normal, 1);
        assertThat(noduleAuc).isBetween(0.5, 0.95);
        assertThat(effusionAuc).isBetween(0.6, 0.99);
    }

    /** [dense pixels (> −450 HU) in the lung mask, fluid-density pixels in the posterior half of the lung mask]. */
    static double[] features(PhantomSlice s) {
        double dense = 0;
        double fluid = 0;
        for (int r = 0; r < s.rows(); r++) {
            for (int c = 0; c < s.cols(); c++) {
                int i = r * s.cols() + c;
                if (!s.lungMask()[i]) {
                    continue;
                }
                short v = s.hounsfield()[i];
                if (v > -450) {
                    dense++;
                }
                if (r > s.rows() / 2 && v > -150 && v < 150) {
                    fluid++;
                }
            }
        }
        return new double[] {dense, fluid};
    }

    /** Probability that a positive's feature exceeds a negative's (ties count half). */
    static double auc(List<double[]> positives, List<double[]> negatives, int feature) {
        double wins = 0;
        for (double[] p : positives) {
            for (double[] n : negatives) {
                wins += p[feature] > n[feature] ? 1 : p[feature] == n[feature] ? 0.5 : 0;
            }
        }
        return wins / (positives.size() * (double) negatives.size());
    }

    private static double mean(PhantomSlice s, int top, int left, int h, int w) {
        double sum = 0;
        for (int r = top; r < top + h; r++) {
            for (int c = left; c < left + w; c++) {
                sum += s.at(r, c);
            }
        }
        return sum / (h * w);
    }

    private static int count(PhantomSlice s, java.util.function.IntPredicate p) {
        int n = 0;
        for (short v : s.hounsfield()) {
            if (p.test(v)) {
                n++;
            }
        }
        return n;
    }

    private static int count(boolean[] mask) {
        int n = 0;
        for (boolean b : mask) {
            if (b) {
                n++;
            }
        }
        return n;
    }
}
