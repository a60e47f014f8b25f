package io.medssl.ingest.service;

import io.medssl.contracts.EventJson;
import io.medssl.contracts.InstanceIngested;
import io.medssl.contracts.Topics;
import io.medssl.ingest.index.IndexSearch;
import io.medssl.ingest.index.InstanceRow;
import io.medssl.ingest.index.InstanceRows;
import io.medssl.ingest.index.OutboxRow;
import io.medssl.ingest.index.PseudonymRow;
import io.medssl.ingest.index.ReceivedRow;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The de-identified index of ingested instances, in ingest's database (Hibernate ORM + Flyway;
 * embedded H2 by default, PostgreSQL supported). Recording an instance commits, in one
 * transaction, its index row, its pseudonym → original entries and — unless it is an identical
 * resend of a known instance — an outbox row with the InstanceIngested event, so an event is never
 * lost between commit and send, and a resent instance is not announced twice. Accepted objects
 * wait in {@code received} until processed.
 */
@ApplicationScoped
public class InstanceIndex {

    /** One index record: the event, and the accession-number pseudonym or null. */
    public record Entry(InstanceIngested instance, String accessionId) {
    }

    /**
     * The studies of one dataset, by pseudonym.
     *
     * @param studiesByAccession accession pseudonym → the studies whose instances carry it (usually one)
     */
    public record DatasetStudies(Set<String> studyIds, Map<String, Set<String>> studiesByAccession) {
    }

    /** A pseudonym and what it stands for (kind: study, series, instance, patient, accession). */
    public record Pseudonym(String pseudonym, String kind, String original) {
    }

    /** An accepted instance waiting to be processed. */
    public record Received(String instanceId, String dataset, String callingAe, Instant receivedAt) {
    }

    private final EntityManager em;
    private final DataSource dataSource;
    /** H2 does not sync a commit to the device; PostgreSQL does (synchronous_commit). */
    private final boolean syncAfterCommit;
    private final boolean postgresql;

    public InstanceIndex(EntityManager em, DataSource dataSource,
                         @ConfigProperty(name = "quarkus.datasource.db-kind") String dbKind) {
        this.em = em;
        this.dataSource = dataSource;
        this.syncAfterCommit = "h2".equalsIgnoreCase(dbKind);
        this.postgresql = "postgresql".equalsIgnoreCase(dbKind);
    }

    /**
     * Indexes an instance the DICOM node has just made durable in its accept journal, before it
     * answers Success: {@code known} is what the header says (identifiers as pseudonyms, modality,
     * SOP class, geometry, when it was received), and searches find the instance from now on. An
     * instance indexed before keeps its row until the resend is processed. The commit need not
     * reach the device itself (PostgreSQL is told not to wait for it): the journal entry already
     * is, and after a crash its processing writes the row again. One JDBC statement, outside JTA
     * and Hibernate: every C-STORE waits for it (through a JTA transaction and a Hibernate session
     * it took ~2 ms more CPU per object, and C-STORE ran at 319–426 objects/s on 500-CT sets
     * against 498–682 with this statement).
     */
    public void indexAccepted(InstanceIngested known, String accessionId) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                if (postgresql) {
                    try (Statement set = connection.createStatement()) {
                        set.execute("SET LOCAL synchronous_commit TO OFF");
                    }
                }
                InstanceRows.insertAccepted(connection, known, accessionId);
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not index " + known.instanceId() + ": SQLState " + e.getSQLState(), e);
        }
    }

    /** Drops the row of an accepted instance that was never processed (its object turned out unreadable). */
    public void forgetAccepted(String instanceId) {
        QuarkusTransaction.requiringNew().run(() -> InstanceRows.deleteAccepted(em, instanceId));
    }

    /**
     * Records the instance; returns the outbox id of its announcement, or empty when the same
     * instance was indexed before with the same content (a resend: files and row are refreshed,
     * nothing is announced again).
     */
    public Optional<Long> record(InstanceIngested instance, String accessionId, List<Pseudonym> pseudonyms) {
        return record(instance, accessionId, pseudonyms, null);
    }

    /**
     * As {@link #record(InstanceIngested, String, List)}, also ending the {@code received} row the
     * instance was processed from — unless the instance was accepted again meanwhile (a newer
     * row), which then gets processed in turn.
     */
    public Optional<Long> record(InstanceIngested instance, String accessionId, List<Pseudonym> pseudonyms, Received from) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Optional<Long> announcement = recordInTransaction(List.of(new Recording(instance, accessionId, pseudonyms))).get(0);
            if (from != null) {
                removeReceived(from);
            }
            return announcement;
        });
    }

    /** What to record of one instance: its event, accession pseudonym (or null) and pseudonym entries. */
    public record Recording(InstanceIngested instance, String accessionId, List<Pseudonym> pseudonyms) {
    }

    /**
     * Records many instances in one transaction (one commit for a batch of processed objects);
     * returns each one's announcement as {@link #record(InstanceIngested, String, List)} does, in
     * order. The batch must not hold one instance twice.
     */
    public List<Optional<Long>> recordAll(List<Recording> recordings) {
        if (recordings.isEmpty()) {
            return List.of();
        }
        return QuarkusTransaction.requiringNew().call(() -> recordInTransaction(recordings));
    }

    private List<Optional<Long>> recordInTransaction(List<Recording> recordings) {
        // What the batch already finds in the index, in two queries instead of a few per instance.
        Map<String, InstanceRow> rows = new HashMap<>();
        em.createQuery("select r from InstanceRow r where r.instanceId in :ids", InstanceRow.class)
                .setParameter("ids", recordings.stream().map(r -> r.instance().instanceId()).toList())
                .getResultList().forEach(r -> rows.put(r.instanceId, r));
        List<String> mapped = recordings.stream().flatMap(r -> r.pseudonyms().stream()).map(Pseudonym::pseudonym)
                .distinct().toList();
        Set<String> known = new HashSet<>(mapped.isEmpty() ? List.of() : em.createQuery(
                "select p.pseudonym from PseudonymRow p where p.pseudonym in :ids", String.class)
                .setParameter("ids", mapped).getResultList());
        List<Optional<Long>> announcements = new ArrayList<>(recordings.size());
        for (Recording recording : recordings) {
            announcements.add(recordInTransaction(recording, rows.get(recording.instance().instanceId()), known));
        }
        return announcements;
    }

    /** {@code row}: the instance's current row or null; {@code known}: pseudonyms already mapped (grows). */
    private Optional<Long> recordInTransaction(Recording recording, InstanceRow row, Set<String> known) {
        InstanceIngested instance = recording.instance();
        InstanceRows.Change change = InstanceRows.upsert(em, row, instance, recording.accessionId());
        putPseudonyms(recording.pseudonyms(), known);
        if (change == InstanceRows.Change.SAME) {
            return Optional.empty();
        }
        OutboxRow event = new OutboxRow();
        event.topic = Topics.INSTANCES;
        event.eventKey = instance.instanceId();
        event.payload = EventJson.write(instance);
        event.createdAt = Instant.now();
        // IDENTITY: inserted at persist, so the id is known without flushing the whole batch.
        em.persist(event);
        return Optional.of(event.id);
    }

    /**
     * Records an accepted instance: a {@code received} row (replacing an older one for the same
     * instance), on the device when this returns — callers release the object's only other
     * durable trace (a journal entry) or answer the sender next.
     */
    public void accept(String instanceId, String dataset, String callingAe) {
        QuarkusTransaction.requiringNew().run(() -> {
            ReceivedRow row = em.find(ReceivedRow.class, instanceId);
            boolean fresh = row == null;
            if (fresh) {
                row = new ReceivedRow();
                row.instanceId = instanceId;
            }
            row.dataset = dataset;
            row.callingAe = callingAe;
            // Millisecond precision: every database keeps it, so the row compares equal after a read.
            row.receivedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            if (fresh) {
                em.persist(row);
            }
        });
        makeDurable();
    }

    /**
     * Puts what was committed so far on the device: a no-op where a commit already is (PostgreSQL);
     * H2 does not sync a commit, so there this makes it survive a power cut too.
     */
    public void makeDurable() {
        if (syncAfterCommit) {
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("CHECKPOINT SYNC").executeUpdate());
        }
    }

    public Optional<Received> received(String instanceId) {
        return QuarkusTransaction.requiringNew().call(() ->
                Optional.ofNullable(em.find(ReceivedRow.class, instanceId)).map(InstanceIndex::received));
    }

    /** Accepted instances not yet processed, oldest first, at most {@code limit}. */
    public List<Received> pending(int limit) {
        return QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                "select r from ReceivedRow r order by r.receivedAt, r.instanceId", ReceivedRow.class)
                .setMaxResults(limit).getResultList().stream().map(InstanceIndex::received).toList());
    }

    public long pendingCount() {
        return QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                "select count(r) from ReceivedRow r", Long.class).getSingleResult());
    }

    /** Drops a received row without indexing (its object can no longer be processed). */
    public void forget(Received received) {
        QuarkusTransaction.requiringNew().run(() -> removeReceived(received));
    }

    private void removeReceived(Received received) {
        ReceivedRow row = em.find(ReceivedRow.class, received.instanceId());
        if (row != null && row.receivedAt.equals(received.receivedAt())) {
            em.remove(row);
        }
    }

    private void putPseudonyms(List<Pseudonym> pseudonyms, Set<String> known) {
        for (Pseudonym p : pseudonyms) {
            if (p.original() != null && !p.original().isEmpty() && known.add(p.pseudonym())) {
                PseudonymRow row = new PseudonymRow();
                row.pseudonym = p.pseudonym();
                row.kind = p.kind();
                row.original = p.original();
                em.persist(row);
            }
        }
    }

    private static Received received(ReceivedRow row) {
        return new Received(row.instanceId, row.dataset, row.callingAe, row.receivedAt);
    }

    /** As {@link #record(InstanceIngested, String, List)} without pseudonym entries (tests, tools). */
    public Optional<Long> record(InstanceIngested instance, String accessionId) {
        return record(instance, accessionId, List.of());
    }

    public Optional<InstanceIngested> find(String instanceId) {
        return QuarkusTransaction.requiringNew().call(() -> InstanceRows.find(em, instanceId));
    }

    /**
     * Instances matching every criterion, ordered by study, series and instance pseudonym; a page
     * of them. Accepted instances not processed yet are found too (as far as their header tells)
     * unless {@code processedOnly}.
     */
    public List<Entry> findInstances(List<IndexSearch.Criterion> criteria, boolean processedOnly, int offset, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> IndexSearch.instances(em, criteria, processedOnly, offset, limit));
    }

    /** Series with an instance matching every criterion, ordered by study and series pseudonym; a page of them. */
    public List<IndexSearch.SeriesMatch> findSeries(List<IndexSearch.Criterion> criteria, int offset, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> IndexSearch.series(em, criteria, offset, limit));
    }

    /** Studies with an instance matching every criterion, ordered by study pseudonym; a page of them. */
    public List<IndexSearch.StudyMatch> findStudies(List<IndexSearch.Criterion> criteria, int offset, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> IndexSearch.studies(em, criteria, offset, limit));
    }

    /** The studies ingested into {@code dataset}. */
    public DatasetStudies studies(String dataset) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Set<String> studyIds = new HashSet<>();
            Map<String, Set<String>> byAccession = new HashMap<>();
            List<Object[]> rows = em.createQuery(
                    "select distinct r.studyId, r.accessionId from InstanceRow r where r.dataset = :dataset", Object[].class)
                    .setParameter("dataset", dataset).getResultList();
            for (Object[] row : rows) {
                studyIds.add((String) row[0]);
                if (row[1] != null) {
                    byAccession.computeIfAbsent((String) row[1], a -> new HashSet<>()).add((String) row[0]);
                }
            }
            return new DatasetStudies(studyIds, byAccession);
        });
    }

    /** The original identifier behind a pseudonym (PHI: for ingest's own use, e.g. results back to the PACS). */
    public Optional<String> original(String pseudonym) {
        return QuarkusTransaction.requiringNew().call(() ->
                Optional.ofNullable(em.find(PseudonymRow.class, pseudonym)).map(r -> r.original));
    }
}
