package io.medssl.contracts;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Train/validation assignment by patient pseudonym, so that no patient's images are on both
 * sides. Pretext-service splits its shards and trainer-service its labelled images with this one rule,
 * so held-out patients stay held out everywhere. Stable across runs: a CRC32 of the pseudonym, bucketed into 100.
 */
public final class PatientSplit {
    public static final String TRAIN = "train";
    public static final String VALIDATION = "validation";

    private PatientSplit() {
    }

    public static String of(String patientPseudonym, int validationPercent) {
        CRC32 crc = new CRC32();
        crc.update(patientPseudonym.getBytes(StandardCharsets.UTF_8));
        return crc.getValue() % 100 < validationPercent ? VALIDATION : TRAIN;
    }
}
