package io.medssl.ingest.index;

import io.medssl.ingest.service.InstanceIndex;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Searches of the instance table at the study, series or instance level (QIDO-RS, the REST view
 * of the index), inside the caller's transaction. Instances count from their acceptance (QIDO-RS
 * finds an object once the DICOM node has answered Success for it). Matching, grouping, counting
 * and paging all run in the database: the index of a hospital archive holds millions of rows, and
 * an answer must not cost a read of all of them.
 */
public final class IndexSearch {
    private IndexSearch() {
    }

    /** Query levels, from the top; a key matches directly at its own level and below. */
    public enum Level { STUDY, SERIES, INSTANCE }

    /** What can be matched: an index column, the level it belongs to, and whether it holds UIDs. */
    public enum Key {
        STUDY_UID("studyId", Level.STUDY, true),
        PATIENT_ID("patientId", Level.STUDY, false),
        ACCESSION_NUMBER("accessionId", Level.STUDY, false),
        SERIES_UID("seriesId", Level.SERIES, true),
        MODALITY("modality", Level.SERIES, false),
        BODY_PART("bodyPart", Level.SERIES, false),
        SOP_INSTANCE_UID("instanceId", Level.INSTANCE, true),
        SOP_CLASS_UID("sopClassUid", Level.INSTANCE, true);

        private final String field;
        private final Level level;
        private final boolean uid;

        Key(String field, Level level, boolean uid) {
            this.field = field;
            this.level = level;
            this.uid = uid;
        }
    }

    /**
     * One match value as DICOM query matching reads it (PS3.4 C.2.2.2): empty or {@code *} matches
     * anything; {@code *} and {@code ?} are wildcards; for UID keys a list separated by commas or
     * backslashes matches any of them (PS3.18 8.3.4.1); anything else must be equal. An
     * {@code exact} criterion (a pseudonym named in a URL path) matches only its value as it is.
     */
    public record Criterion(Key key, String value, boolean exact) {
        public Criterion(Key key, String value) {
            this(key, value, false);
        }

        public static Criterion exactly(Key key, String value) {
            return new Criterion(key, value, true);
        }
    }

    /** A study: its pseudonyms, the modalities of its instances, how many series and instances it has. */
    public record StudyMatch(String studyId, String patientId, String accessionId, SortedSet<String> modalities,
                             long seriesCount, long instanceCount) {
    }

    /** A series: its pseudonyms and attributes, and how many instances it has. */
    public record SeriesMatch(String studyId, String seriesId, String patientId, String accessionId, String modality,
                              String bodyPart, long instanceCount) {
    }

    /**
     * Instances matching every criterion, ordered by study, series and instance pseudonym; those
     * only accepted so far too (their pixel key, copy and decodability not yet known) unless
     * {@code processedOnly}.
     */
    public static List<InstanceIndex.Entry> instances(EntityManager em, List<Criterion> criteria, boolean processedOnly,
                                                      int offset, int limit) {
        Map<String, Object> params = new HashMap<>();
        String where = where(Level.INSTANCE, criteria, params);
        if (processedOnly) {
            where += (where.isEmpty() ? " where" : " and") + " r.processed = true";
        }
        TypedQuery<InstanceRow> query = em.createQuery("select r from InstanceRow r" + where
                + " order by r.studyId, r.seriesId, r.instanceId", InstanceRow.class);
        return page(query, params, offset, limit).getResultList().stream()
                .map(r -> new InstanceIndex.Entry(r.event(), r.accessionId)).toList();
    }

    /**
     * Series with at least one instance matching every criterion; the counts are the whole
     * series' (a series matched on SOPClassUID still says how many instances it has).
     */
    public static List<SeriesMatch> series(EntityManager em, List<Criterion> criteria, int offset, int limit) {
        Map<String, Object> params = new HashMap<>();
        TypedQuery<Object[]> query = em.createQuery("select r.studyId, r.seriesId, min(r.patientId), min(r.accessionId),"
                + " min(r.modality), min(r.bodyPart), count(r) from InstanceRow r" + where(Level.SERIES, criteria, params)
                + " group by r.studyId, r.seriesId order by r.studyId, r.seriesId", Object[].class);
        return page(query, params, offset, limit).getResultList().stream()
                .map(r -> new SeriesMatch((String) r[0], (String) r[1], (String) r[2], (String) r[3], (String) r[4],
                        (String) r[5], (Long) r[6]))
                .toList();
    }

    /** Studies with at least one instance matching every criterion, with the whole study's modalities and counts. */
    public static List<StudyMatch> studies(EntityManager em, List<Criterion> criteria, int offset, int limit) {
        Map<String, Object> params = new HashMap<>();
        TypedQuery<Object[]> query = em.createQuery("select r.studyId, min(r.patientId), min(r.accessionId),"
                + " count(distinct r.seriesId), count(r) from InstanceRow r" + where(Level.STUDY, criteria, params)
                + " group by r.studyId order by r.studyId", Object[].class);
        List<Object[]> rows = page(query, params, offset, limit).getResultList();
        Map<String, SortedSet<String>> modalities = new HashMap<>();
        List<String> ids = rows.stream().map(r -> (String) r[0]).toList();
        // In pieces: PostgreSQL takes at most 32,767 parameters per statement.
        for (int from = 0; from < ids.size(); from += 1000) {
            em.createQuery("select distinct r.studyId, r.modality from InstanceRow r where r.studyId in :ids"
                    + " and r.modality is not null and r.modality <> ''", Object[].class)
                    .setParameter("ids", ids.subList(from, Math.min(ids.size(), from + 1000)))
                    .getResultList()
                    .forEach(m -> modalities.computeIfAbsent((String) m[0], s -> new TreeSet<>()).add((String) m[1]));
        }
        return rows.stream()
                .map(r -> new StudyMatch((String) r[0], (String) r[1], (String) r[2],
                        modalities.getOrDefault((String) r[0], new TreeSet<>()), (Long) r[3], (Long) r[4]))
                .toList();
    }

    private static <T> TypedQuery<T> page(TypedQuery<T> query, Map<String, Object> params, int offset, int limit) {
        params.forEach(query::setParameter);
        return query.setFirstResult(offset).setMaxResults(limit);
    }

    /**
     * The where clause on rows {@code r}. A criterion on a key of the searched level or above
     * holds for every row of a match and filters the rows directly; one on a key below it (e.g.
     * Modality for studies) selects the studies or series that have a matching row, in a subquery,
     * so the aggregates still count all their rows.
     */
    private static String where(Level level, List<Criterion> criteria, Map<String, Object> params) {
        List<String> direct = new ArrayList<>();
        List<String> below = new ArrayList<>();
        for (Criterion criterion : criteria) {
            boolean onRow = criterion.key().level.ordinal() <= level.ordinal();
            String condition = condition(onRow ? "r" : "m", criterion, "p" + params.size(), params);
            if (condition != null) {
                (onRow ? direct : below).add(condition);
            }
        }
        if (!below.isEmpty()) {
            String group = level == Level.STUDY ? "studyId" : "seriesId";
            direct.add("r." + group + " in (select m." + group + " from InstanceRow m where " + String.join(" and ", below) + ")");
        }
        return direct.isEmpty() ? "" : " where " + String.join(" and ", direct);
    }

    /** The JPQL condition for one criterion (its value bound as {@code name}), or null for universal matching. */
    private static String condition(String alias, Criterion criterion, String name, Map<String, Object> params) {
        String value = criterion.value() == null ? "" : criterion.value().strip();
        String column = alias + "." + criterion.key().field;
        if (criterion.exact()) {
            params.put(name, value);
            return column + " = :" + name;
        }
        if (criterion.key().uid && (value.indexOf(',') >= 0 || value.indexOf('\\') >= 0)) {
            List<String> uids = Arrays.stream(value.split("[,\\\\]")).map(String::strip).filter(v -> !v.isEmpty()).toList();
            if (uids.isEmpty()) {
                return null;
            }
            params.put(name, uids);
            return column + " in :" + name;
        }
        if (value.isEmpty() || value.equals("*")) {
            return null;
        }
        if (value.indexOf('*') >= 0 || value.indexOf('?') >= 0) {
            params.put(name, likePattern(value));
            return column + " like :" + name + " escape '!'";
        }
        params.put(name, value);
        return column + " = :" + name;
    }

    /** DICOM wildcards as a LIKE pattern; SQL's own wildcards (and the escape) in the value match only themselves. */
    static String likePattern(String value) {
        StringBuilder pattern = new StringBuilder(value.length() + 8);
        for (char c : value.toCharArray()) {
            switch (c) {
                case '*' -> pattern.append('%');
                case '?' -> pattern.append('_');
                case '%', '_', '!' -> pattern.append('!').append(c);
                default -> pattern.append(c);
            }
        }
        return pattern.toString();
    }
}
