package io.medssl.trainer.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class OneCycleScheduleTest {

    @Test
    void warmsUpToTheMaximumThenAnnealsToTheFinalRate() {
        OneCycleSchedule s = OneCycleSchedule.of(0.01f, 100);
        assertThat(s.at(0)).isCloseTo(0.01f / 25, within(1e-9f));
        // halfway through the 30-step warm-up, cosine interpolation gives the mean of start and max
        assertThat(s.at(15)).isCloseTo((0.01f / 25 + 0.01f) / 2, within(1e-6f));
        assertThat(s.at(30)).isCloseTo(0.01f, within(1e-9f));
        assertThat(s.at(99)).isCloseTo(0.01f / 25 / 1e4f, within(1e-10f));
        assertThat(s.at(500)).isEqualTo(s.at(99));
        for (int i = 1; i <= 30; i++) {
            assertThat(s.at(i)).isGreaterThan(s.at(i - 1));
        }
        for (int i = 31; i < 100; i++) {
            assertThat(s.at(i)).isLessThan(s.at(i - 1));
        }
    }
}
