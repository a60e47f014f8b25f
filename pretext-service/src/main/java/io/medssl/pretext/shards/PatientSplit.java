package io.medssl.pretext.shards;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Train/validation assignment by patient pseudonym, so that no patient's images are on both
 * sides. Stable across runs and services: a CRC32 of the pseudonym, bucketed into 100.
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
