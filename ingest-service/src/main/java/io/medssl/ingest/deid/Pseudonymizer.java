package io.medssl.ingest.deid;

import io.medssl.ingest.config.IngestConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed pseudonyms: HMAC-SHA256 of (kind, original value) under the site's secret. The same
 * patient, study or UID always maps to the same pseudonym, nobody without the secret can reverse
 * or recompute it, and UIDs become valid DICOM UIDs under the 2.25 (UUID-derived) root.
 */
@ApplicationScoped
public class Pseudonymizer {
    public static final int MAX_DATE_SHIFT_DAYS = 730;
    private static final HexFormat HEX = HexFormat.of();
    /** One keyed MAC per thread: looking the algorithm up and keying it took longer than the hash (~10 per instance). */
    private final ThreadLocal<Mac> macs;

    @Inject
    public Pseudonymizer(IngestConfig config) {
        this(config.pseudonym().secret());
    }

    public Pseudonymizer(String secret) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("medssl.pseudonym.secret must be at least 16 characters");
        }
        SecretKeySpec key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
        });
    }

    /** A DICOM UID (at most 64 characters) standing for {@code uid}. */
    public String uid(String uid) {
        byte[] digest = hmac("uid", uid);
        // 128 bits, as for a UUID-derived 2.25 UID: at most 39 digits, 44 characters in all.
        return "2.25." + new BigInteger(1, Arrays.copyOf(digest, 16));
    }

    /**
     * An accession-number pseudonym such as {@code A-3f2a...}. Labels sent by accession number
     * are matched through it, so the index never needs the accession number itself.
     */
    public String accession(String accessionNumber) {
        return "A-" + hex(hmac("accession", accessionNumber), 12);
    }

    /** A patient pseudonym such as {@code P-3f2a...}. */
    public String patient(String patientId, String issuer) {
        return "P-" + hex(hmac("patient", issuer + "|" + patientId), 12);
    }

    /**
     * How many days (1 to {@value #MAX_DATE_SHIFT_DAYS}) the de-identified copy moves a patient's
     * dates back: keyed, so all of one patient's objects shift alike and intervals survive.
     */
    public int dateShiftDays(String patientPseudonym) {
        return 1 + new BigInteger(1, Arrays.copyOf(hmac("date-shift", patientPseudonym), 8)).mod(BigInteger.valueOf(MAX_DATE_SHIFT_DAYS)).intValue();
    }

    private byte[] hmac(String kind, String value) {
        // doFinal leaves the MAC reset, keyed, for the next value.
        Mac mac = macs.get();
        mac.update(kind.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(byte[] bytes, int count) {
        return HEX.formatHex(bytes, 0, count);
    }
}
