package io.medssl.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PatientSplitTest {

    @Test
    void stablePerPatientAndCloseToTheRequestedShare() {
        assertThat(PatientSplit.of("P-abc", 20)).isEqualTo(PatientSplit.of("P-abc", 20));
        long validation = IntStream.range(0, 2000)
                .filter(i -> PatientSplit.of("P-" + i, 20).equals(PatientSplit.VALIDATION)).count();
        assertThat(validation).isBetween(300L, 500L);
        assertThat(PatientSplit.of("P-abc", 0)).isEqualTo(PatientSplit.TRAIN);
        assertThat(PatientSplit.of("P-abc", 100)).isEqualTo(PatientSplit.VALIDATION);
    }
}
