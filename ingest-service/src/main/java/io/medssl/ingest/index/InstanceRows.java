package io.medssl.ingest.index;

import io.medssl.contracts.InstanceIngested;
import jakarta.persistence.EntityManager;
import java.util.Optional;

/** Queries on the instance table, inside the caller's transaction. */
public final class InstanceRows {
    private InstanceRows() {
    }

    /** What recording did to the index. */
    public enum Change { NEW, CHANGED, SAME }

    /**
     * Inserts or refreshes the instance's row ({@code row}: its current, managed row, or null when
     * it has none; the caller looks it up, a batch in one query). A resend of an instance is SAME when everything downstream
     * sees (geometry, decodability, dataset, identifiers) is unchanged; CHANGED otherwise (e.g. the
     * same SOP Instance UID sent again with other content, which downstream must hear about).
     */
    public static Change upsert(EntityManager em, InstanceRow row, InstanceIngested instance, String accessionId) {
        if (row == null) {
            em.persist(InstanceRow.of(instance, accessionId));
            return Change.NEW;
        }
        InstanceIngested before = row.event();
        row.update(instance, accessionId);
        return sameForDownstream(before, row.event()) ? Change.SAME : Change.CHANGED;
    }

    private static boolean sameForDownstream(InstanceIngested a, InstanceIngested b) {
        return java.util.Objects.equals(a.studyId(), b.studyId()) && java.util.Objects.equals(a.seriesId(), b.seriesId())
                && java.util.Objects.equals(a.patientId(), b.patientId()) && java.util.Objects.equals(a.dataset(), b.dataset())
                && java.util.Objects.equals(a.modality(), b.modality()) && java.util.Objects.equals(a.bodyPart(), b.bodyPart())
                && java.util.Objects.equals(a.sopClassUid(), b.sopClassUid()) && a.rows() == b.rows() && a.columns() == b.columns()
                && a.frames() == b.frames() && java.util.Objects.equals(a.pixelKey(), b.pixelKey()) && a.decodable() == b.decodable()
                && java.util.Objects.equals(a.deidentifiedKey(), b.deidentifiedKey());
    }

    public static Optional<InstanceIngested> find(EntityManager em, String instanceId) {
        return Optional.ofNullable(em.find(InstanceRow.class, instanceId)).map(InstanceRow::event);
    }
}
