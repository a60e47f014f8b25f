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
        modality = e.modality();
        bodyPart = e.bodyPart();
        sopClassUid = e.sopClassUid();
        rows = e.rows();
        columns = e.columns();
        frames = e.frames();
        pixelKey = e.pixelKey();
        decodable = e.decodable();
        undecodableReason = e.undecodableReason() == null ? null
                : e.undecodableReason().substring(0, Math.min(1024, e.undecodableReason().length()));
        ingestedAt = e.ingestedAt();
        deidentifiedKey = e.deidentifiedKey();
    }

    InstanceIngested event() {
        return new InstanceIngested(InstanceIngested.SCHEMA_VERSION, instanceId, studyId, seriesId, patientId, dataset, modality,
                bodyPart, sopClassUid, rows, columns, frames, pixelKey, decodable, undecodableReason, ingestedAt, deidentifiedKey);
    }
}
