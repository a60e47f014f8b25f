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
    void pseudonymsAreTheDocumentedKeyedHashesSoTheyStayTheSameAcrossVersions() throws Exception {
        // HMAC-SHA256(secret, kind 0x00 value), computed independently (Python's hmac module): a
        // pseudonym that changed between versions would split one patient or study in two.
        assertThat(a.uid("1.2.3")).isEqualTo("2.25.72004312472823514947470600238841099568");
        assertThat(a.patient("12345", "")).isEqualTo("P-634ffcd2a3ac0a538ca0dc02");
        assertThat(a.accession("ACC-77")).isEqualTo("A-24bbb618a8c255506f0f6864");
        assertThat(a.dateShiftDays("P-x")).isEqualTo(365);
        // Each thread keeps its own keyed MAC: many at once give the same answers.
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var answers = new java.util.ArrayList<java.util.concurrent.Future<String>>();
            for (int i = 0; i < 400; i++) {
                int n = i;
                answers.add(pool.submit(() -> n % 2 == 0 ? a.uid("1.2.3") : a.patient("12345", "")));
            }
            for (int i = 0; i < answers.size(); i++) {
                assertThat(answers.get(i).get()).isEqualTo(i % 2 == 0 ? "2.25.72004312472823514947470600238841099568"
                        : "P-634ffcd2a3ac0a538ca0dc02");
            }
        } finally {
            pool.shutdownNow();
        }
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
