package io.medssl.ingest.deid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PseudonymizerTest {
    private final Pseudonymizer a = new Pseudonymizer("site-a-secret-0123456789");
    private final Pseudonymizer b = new Pseudonymizer("site-b-secret-0123456789");

    @Test
    void sameInputSamePseudonymDifferentSecretDifferentPseudonym() {
        String uid = "1.2.840.113619.2.55.3.604688119.971.1234567890.123";
        assertThat(a.uid(uid)).isEqualTo(a.uid(uid));
        assertThat(a.uid(uid)).isNotEqualTo(b.uid(uid));
        assertThat(a.uid(uid)).isNotEqualTo(a.uid(uid + "1"));
        assertThat(a.patient("12345", "")).isEqualTo(a.patient("12345", "")).isNotEqualTo(b.patient("12345", ""));
    }

    @Test
    void uidPseudonymsAreValidDicomUids() {
        String p = a.uid("1.2.3");
        assertThat(p).matches("2\\.25\\.[1-9][0-9]*").hasSizeLessThanOrEqualTo(64);
    }

    @Test
    void aWeakSecretIsRefused() {
        assertThatThrownBy(() -> new Pseudonymizer("short")).isInstanceOf(IllegalArgumentException.class);
    }
}
