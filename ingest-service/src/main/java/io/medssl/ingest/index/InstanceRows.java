package io.medssl.ingest.index;

import io.medssl.contracts.InstanceIngested;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;

/** Queries on the instance table, inside the caller's transaction. */
public final class InstanceRows {
    private InstanceRows() {
    }

    /** What recording did to the index. */
    public enum Change { NEW, CHANGED, SAME }

    /**
     * Inserts or refreshes the instance's row ({@code row}: its current, managed row, or null when
     * it has none; the caller looks it up, a batch in one query). An instance only accepted so far
     * (its row not yet processed) is NEW: nothing was announced. A resend of an instance is SAME
     * when everything downstream sees (geometry, decodability, dataset, identifiers) is unchanged;
     * CHANGED otherwise (e.g. the same SOP Instance UID sent again with other content, which
     * downstream must hear about).
     */
    public static Change upsert(EntityManager em, InstanceRow row, InstanceIngested instance, String accessionId) {
        if (row == null) {
            em.persist(InstanceRow.of(instance, accessionId));
            return Change.NEW;
        }
        boolean announced = row.processed;
        InstanceIngested before = row.event();
        row.update(instance, accessionId);
        if (!announced) {
            return Change.NEW;
        }
        return sameForDownstream(before, row.event()) ? Change.SAME : Change.CHANGED;
    }

    /**
     * Indexes an instance at acceptance, in the caller's JDBC transaction, unless it has a row
     * already (a resend keeps the row of what was processed until the resend is; two associations
     * sending one instance at once index it once); false when it had one. The columns are those
     * {@link InstanceRow} maps, {@code processed} false.
     */
    public static boolean insertAccepted(Connection connection, InstanceIngested known, String accessionId)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO instance (instance_id, study_id, series_id,"
                + " patient_id, accession_id, dataset, modality, body_part, sop_class_uid, rows_count, columns_count, frames,"
                + " decodable, ingested_at, processed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE, ?, FALSE)")) {
            insert.setString(1, known.instanceId());
            insert.setString(2, known.studyId());
            insert.setString(3, known.seriesId());
            insert.setString(4, known.patientId());
            insert.setString(5, accessionId);
            insert.setString(6, known.dataset());
            insert.setString(7, InstanceRow.clip(known.modality(), InstanceRow.MODALITY_LENGTH));
            insert.setString(8, InstanceRow.clip(known.bodyPart(), InstanceRow.BODY_PART_LENGTH));
            insert.setString(9, known.sopClassUid());
            insert.setInt(10, known.rows());
            insert.setInt(11, known.columns());
            insert.setInt(12, known.frames());
            // As Hibernate writes an Instant to this TIMESTAMP column: the wall-clock time in the
            // JVM's time zone (checked: InstanceProcessorTest passes under -Duser.timezone=America/New_York).
            insert.setTimestamp(13, Timestamp.from(known.ingestedAt()));
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    /** SQLState of a duplicate key (H2 and PostgreSQL alike). */
    private static final String UNIQUE_VIOLATION = "23505";

    /** Drops an instance's row if it was only accepted (its object turned out unreadable: nothing follows). */
    public static void deleteAccepted(EntityManager em, String instanceId) {
        em.createQuery("delete from InstanceRow r where r.instanceId = :id and r.processed = false")
                .setParameter("id", instanceId).executeUpdate();
    }

    private static boolean sameForDownstream(InstanceIngested a, InstanceIngested b) {
        return java.util.Objects.equals(a.studyId(), b.studyId()) && java.util.Objects.equals(a.seriesId(), b.seriesId())
                && java.util.Objects.equals(a.patientId(), b.patientId()) && java.util.Objects.equals(a.dataset(), b.dataset())
                && java.util.Objects.equals(a.modality(), b.modality()) && java.util.Objects.equals(a.bodyPart(), b.bodyPart())
                && java.util.Objects.equals(a.sopClassUid(), b.sopClassUid()) && a.rows() == b.rows() && a.columns() == b.columns()
                && a.frames() == b.frames() && java.util.Objects.equals(a.pixelKey(), b.pixelKey()) && a.decodable() == b.decodable()
                && java.util.Objects.equals(a.deidentifiedKey(), b.deidentifiedKey());
    }

    /** The instance's event, once it was processed (an instance only accepted so far has none). */
    public static Optional<InstanceIngested> find(EntityManager em, String instanceId) {
        return Optional.ofNullable(em.find(InstanceRow.class, instanceId)).filter(r -> r.processed).map(InstanceRow::event);
    }
}
