package io.medssl.ingest.labels;

import io.medssl.contracts.LabelAssigned;
import io.medssl.ingest.deid.Pseudonymizer;
import io.medssl.ingest.messaging.LabelEventPublisher;
import io.medssl.ingest.service.InstanceIndex;
import io.medssl.ingest.service.InstanceIndex.DatasetStudies;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Matches label rows to the studies ingested into a dataset and announces each label as a
 * {@link LabelAssigned} for the study's pseudonym. A row names its study by the original
 * StudyInstanceUID or AccessionNumber; both are pseudonymised the way ingest pseudonymised them
 * and looked up in the instance index, so no original identifier is kept, logged or published.
 */
@ApplicationScoped
public class LabelService {
    private static final Logger LOG = Logger.getLogger(LabelService.class);
    public static final String SOURCE = "api";
    static final String UNKNOWN = "no such study in dataset";

    private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");
    /** A DICOM SH value is 16 characters; allow some slack for what spreadsheets do to them. */
    private static final int MAX_ACCESSION = 64;

    /** Some label events were not acknowledged by the broker; sending the request again is safe. */
    public static class PublishFailedException extends Exception {
        private final int published;
        private final int total;

        PublishFailedException(int published, int total, Throwable cause) {
            super(cause.getClass().getSimpleName(), cause, false, false);
            this.published = published;
            this.total = total;
        }

        public int published() {
            return published;
        }

        public int total() {
            return total;
        }
    }

    private final InstanceIndex index;
    private final Pseudonymizer pseudonyms;
    private final LabelEventPublisher publisher;

    public LabelService(InstanceIndex index, Pseudonymizer pseudonyms, LabelEventPublisher publisher) {
        this.index = index;
        this.pseudonyms = pseudonyms;
        this.publisher = publisher;
    }

    public LabelImportResult assign(String dataset, List<LabelRow> rows)
            throws IOException, PublishFailedException, InterruptedException {
        DatasetStudies studies = index.studies(dataset);
        List<RowIssue> unknown = new ArrayList<>();
        Map<Integer, RowIssue> invalid = new TreeMap<>();
        // Row → the study pseudonyms it labels (usually one; an accession number may span studies).
        Map<LabelRow, Set<String>> matched = new LinkedHashMap<>();
        for (LabelRow row : rows) {
            String problem = validate(row);
            if (problem != null) {
                invalid.put(row.row(), RowIssue.of(row, problem));
                continue;
            }
            Set<String> byAccession = row.accessionNumber() == null ? Set.of()
                    : studies.studiesByAccession().getOrDefault(pseudonyms.accession(row.accessionNumber()), Set.of());
            if (row.studyInstanceUid() != null) {
                String studyId = pseudonyms.uid(row.studyInstanceUid());
                if (!studies.studyIds().contains(studyId)) {
                    unknown.add(RowIssue.of(row, UNKNOWN));
                } else if (!byAccession.isEmpty() && !byAccession.contains(studyId)) {
                    invalid.put(row.row(), RowIssue.of(row, "StudyInstanceUID and AccessionNumber name different studies"));
                } else {
                    matched.put(row, Set.of(studyId));
                }
            } else if (byAccession.isEmpty()) {
                unknown.add(RowIssue.of(row, UNKNOWN));
            } else {
                matched.put(row, byAccession);
            }
        }

        // One label per study per request: rows giving a study different labels assign none of them.
        Map<String, Map<String, Set<Integer>>> labelsByStudy = new LinkedHashMap<>();
        matched.forEach((row, studyIds) -> studyIds.forEach(s -> labelsByStudy
                .computeIfAbsent(s, k -> new LinkedHashMap<>()).computeIfAbsent(row.label(), k -> new TreeSet<>()).add(row.row())));
        Set<String> conflicting = new LinkedHashSet<>();
        labelsByStudy.forEach((studyId, labels) -> {
            if (labels.size() > 1) {
                conflicting.add(studyId);
            }
        });
        List<LabelAssigned> events = new ArrayList<>();
        Set<String> announced = new LinkedHashSet<>();
        int assigned = 0;
        for (var entry : matched.entrySet()) {
            LabelRow row = entry.getKey();
            var clash = entry.getValue().stream().filter(conflicting::contains).findFirst();
            if (clash.isPresent()) {
                Set<Integer> others = new TreeSet<>();
                labelsByStudy.get(clash.get()).values().forEach(others::addAll);
                invalid.put(row.row(), RowIssue.of(row, "different labels for the same study in rows "
                        + others.stream().map(String::valueOf).collect(Collectors.joining(", "))));
                continue;
            }
            assigned++;
            for (String studyId : entry.getValue()) {
                if (announced.add(studyId)) {
                    events.add(new LabelAssigned(LabelAssigned.SCHEMA_VERSION, dataset, studyId, row.label(), SOURCE));
                }
            }
        }

        for (int i = 0; i < events.size(); i++) {
            try {
                publisher.publish(events.get(i));
            } catch (ExecutionException | TimeoutException e) {
                LOG.errorf("labels for dataset %s: %d of %d events published, then %s", printable(dataset), i, events.size(),
                        e.getClass().getSimpleName());
                throw new PublishFailedException(i, events.size(), e);
            }
        }
        LOG.infof("labels for dataset %s: %d rows, %d assigned (%d studies), %d unknown, %d invalid", printable(dataset),
                rows.size(), assigned, events.size(), unknown.size(), invalid.size());
        return new LabelImportResult(dataset, rows.size(), assigned, unknown, List.copyOf(invalid.values()));
    }

    /** Why the row cannot be used, or null. */
    private static String validate(LabelRow row) {
        if (row.studyInstanceUid() == null && row.accessionNumber() == null) {
            return "no StudyInstanceUID or AccessionNumber";
        }
        if (row.label() == null) {
            return "no label";
        }
        if (row.label().length() > LabelRow.MAX_LABEL || row.label().chars().anyMatch(Character::isISOControl)) {
            return "label longer than " + LabelRow.MAX_LABEL + " characters or with control characters";
        }
        if (row.studyInstanceUid() != null
                && (row.studyInstanceUid().length() > 64 || !UID.matcher(row.studyInstanceUid()).matches())) {
            return "StudyInstanceUID is not a DICOM UID";
        }
        if (row.accessionNumber() != null && (row.accessionNumber().length() > MAX_ACCESSION
                || row.accessionNumber().chars().anyMatch(Character::isISOControl))) {
            return "AccessionNumber longer than " + MAX_ACCESSION + " characters or with control characters";
        }
        return null;
    }

    /** The dataset name comes from the request path: keep it to one harmless log token. */
    static String printable(String dataset) {
        return dataset.replaceAll("[^A-Za-z0-9._-]", "?");
    }
}
