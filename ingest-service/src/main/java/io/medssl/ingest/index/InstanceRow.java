package io.medssl.ingest.index;

import io.medssl.contracts.InstanceIngested;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One row of the de-identified index: the announced event's fields plus the accession pseudonym. */
@Entity
@Table(name = "instance")
public class InstanceRow {
    /** Column sizes (V1__index.sql) of the values a sender's header sets freely. */
    static final int MODALITY_LENGTH = 16;
    static final int BODY_PART_LENGTH = 64;

    @Id
    @Column(name = "instance_id")
    public String instanceId;
    @Column(name = "study_id")
    public String studyId;
    @Column(name = "series_id")
    public String seriesId;
    @Column(name = "patient_id")
    public String patientId;
    @Column(name = "accession_id")
    public String accessionId;
    public String dataset;
    public String modality;
    @Column(name = "body_part")
    public String bodyPart;
    @Column(name = "sop_class_uid")
    public String sopClassUid;
    @Column(name = "rows_count")
    public int rows;
    @Column(name = "columns_count")
    public int columns;
    public int frames;
    @Column(name = "pixel_key")
    public String pixelKey;
    public boolean decodable;
    @Column(name = "undecodable_reason")
    public String undecodableReason;
    @Column(name = "ingested_at")
    public Instant ingestedAt;
    @Column(name = "deidentified_key")
    public String deidentifiedKey;
    /** False from acceptance by the DICOM node until processed (decoded, copied, announced); see V4__accepted.sql. */
    public boolean processed;

    static InstanceRow of(InstanceIngested e, String accessionId) {
        InstanceRow row = new InstanceRow();
        row.instanceId = e.instanceId();
        row.update(e, accessionId);
        return row;
    }

    void update(InstanceIngested e, String accessionId) {
        studyId = e.studyId();
        seriesId = e.seriesId();
        patientId = e.patientId();
        this.accessionId = accessionId;
        dataset = e.dataset();
        // Clipped to their columns: a sender's over-long code string must not make the object unindexable.
        modality = clip(e.modality(), MODALITY_LENGTH);
        bodyPart = clip(e.bodyPart(), BODY_PART_LENGTH);
        sopClassUid = e.sopClassUid();
        rows = e.rows();
        columns = e.columns();
        frames = e.frames();
        pixelKey = e.pixelKey();
        decodable = e.decodable();
        undecodableReason = clip(e.undecodableReason(), 1024);
        ingestedAt = e.ingestedAt();
        deidentifiedKey = e.deidentifiedKey();
        processed = true;
    }

    static String clip(String value, int length) {
        return value == null || value.length() <= length ? value : value.substring(0, length);
    }

    InstanceIngested event() {
        return new InstanceIngested(InstanceIngested.SCHEMA_VERSION, instanceId, studyId, seriesId, patientId, dataset, modality,
                bodyPart, sopClassUid, rows, columns, frames, pixelKey, decodable, undecodableReason, ingestedAt, deidentifiedKey);
    }
}
