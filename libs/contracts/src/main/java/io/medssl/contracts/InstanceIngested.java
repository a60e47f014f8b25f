package io.medssl.contracts;

import java.time.Instant;

/**
 * An instance was stored durably by ingest-service. Every identifier is a pseudonym; the event
 * carries no names, patient IDs, dates of birth, accession numbers or free text.
 *
 * @param pixelKey storage key of the normalised pixel array, or null when the instance has no
 *     decodable image (then {@code decodable} is false and {@code undecodableReason} says why)
 * @param deidentifiedKey storage key of the PS3.15 de-identified DICOM copy (keyed UIDs, the
 *     patient pseudonym as PatientID), or null when none could be written; absent in events from
 *     before it existed (an additive field: schema version unchanged)
 */
public record InstanceIngested(
        int schemaVersion,
        String instanceId,
        String studyId,
        String seriesId,
        String patientId,
        String dataset,
        String modality,
        String bodyPart,
        String sopClassUid,
        int rows,
        int columns,
        int frames,
        String pixelKey,
        boolean decodable,
        String undecodableReason,
        Instant ingestedAt,
        String deidentifiedKey) {

    public static final int SCHEMA_VERSION = 1;
}
