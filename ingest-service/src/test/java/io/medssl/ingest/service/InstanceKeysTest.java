package io.medssl.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.medssl.ingest.deid.Pseudonymizer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstanceKeysTest {
    @Test
    void eachKindIsShardedByThePseudonymsLastFourDigits() {
        String id = "2.25.72004312472823514947470600238841099568";
        assertThat(InstanceKeys.original(id)).isEqualTo("ingest/originals/68/95/" + id + ".dcm");
        assertThat(InstanceKeys.pixels(id)).isEqualTo("pixels/68/95/" + id + ".npy");
        assertThat(InstanceKeys.deidentified(id)).isEqualTo("deidentified/68/95/" + id + ".dcm");
        assertThat(InstanceKeys.quarantined(id)).isEqualTo("ingest/quarantine/68/95/" + id + ".dcm");
        assertThat(InstanceKeys.legacyOriginal(id)).isEqualTo("ingest/originals/" + id + ".dcm");
    }

    @Test
    void pseudonymsSpreadEvenlyOverTheFolders() {
        Pseudonymizer pseudonyms = new Pseudonymizer("a secret of the site");
        Map<String, Integer> perFolder = new HashMap<>();
        int instances = 200_000;
        for (int i = 0; i < instances; i++) {
            String key = InstanceKeys.pixels(pseudonyms.uid("1.2.826.0.1.3680043.2." + i));
            perFolder.merge(key.substring(0, key.lastIndexOf('/')), 1, Integer::sum);
        }
        // 20 per folder on average: every folder used, none with more than about twice that.
        assertThat(perFolder).hasSize(10_000);
        assertThat(perFolder.values()).allSatisfy(n -> assertThat(n).isBetween(1, 45));
    }
}
