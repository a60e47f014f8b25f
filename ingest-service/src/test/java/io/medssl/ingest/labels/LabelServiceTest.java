package io.medssl.ingest.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medssl.contracts.InstanceIngested;
import io.medssl.contracts.LabelAssigned;
import io.medssl.ingest.deid.Pseudonymizer;
import io.medssl.ingest.messaging.LabelEventPublisher;
import io.medssl.ingest.service.InstanceIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The matching rules, on a real index in a temporary store and a publisher that records. */
class LabelServiceTest {
    static final String DATASET = "ds";
    final Pseudonymizer pseudonyms = new Pseudonymizer("a-test-secret-0123456789");
    final List<LabelAssigned> published = new ArrayList<>();
    int failAfter = Integer.MAX_VALUE;

    InstanceIndex index;
    LabelService service;

    @BeforeEach
    void setUp() throws Exception {
        index = new InMemoryIndex();
        LabelEventPublisher publisher = new LabelEventPublisher() {
            @Override
            public void publish(LabelAssigned event) throws ExecutionException {
                if (published.size() == failAfter) {
                    throw new ExecutionException(new RuntimeException("broker gone"));
                }
                published.add(event);
            }
        };
        service = new LabelService(index, pseudonyms, publisher);
        // Study 1.1 (two instances, accession ACC-1), study 1.2 (no accession), study 2.1 in another
        // dataset, and studies 3.1 and 3.2 sharing accession ACC-3.
        ingest("1.1.1", "1.1", "ACC-1", DATASET);
        ingest("1.1.2", "1.1", "ACC-1", DATASET);
        ingest("1.2.1", "1.2", null, DATASET);
        ingest("2.1.1", "2.1", "ACC-2", "other");
        ingest("3.1.1", "3.1", "ACC-3", DATASET);
        ingest("3.2.1", "3.2", "ACC-3", DATASET);
    }

    private void ingest(String sop, String study, String accession, String dataset) throws Exception {
        index.record(new InstanceIngested(1, pseudonyms.uid(sop), pseudonyms.uid(study), pseudonyms.uid(study + ".9"), "P-1",
                dataset, "CT", "CHEST", "1.2.840.10008.5.1.4.1.1.2", 8, 8, 1, null, false, "test", Instant.now(), null),
                accession == null ? null : pseudonyms.accession(accession));
    }

    private static LabelRow row(int n, String uid, String accession, String label) {
        return new LabelRow(n, uid, accession, label);
    }

    @Test
    void rowsAreMatchedByUidOrAccessionWithinTheDataset() throws Exception {
        LabelImportResult result = service.assign(DATASET, List.of(
                row(1, "1.1", null, "a"),
                row(2, null, "ACC-1", "a"),          // same study, same label: one event
                row(3, "1.2", null, "b"),
                row(4, "2.1", null, "c"),            // another dataset's study
                row(5, null, "ACC-2", "c"),          // another dataset's accession
                row(6, null, "ACC-3", "d"),          // an accession spanning two studies labels both
                row(7, "1.2", "ACC-1", "b"),         // the identifiers disagree
                row(8, "1.2.3.x", null, "e"),
                row(9, "1.1", null, "x".repeat(129)),
                row(10, null, null, "f")));
        assertThat(result.rows()).isEqualTo(10);
        assertThat(result.assigned()).isEqualTo(4);
        assertThat(result.unknown()).extracting(RowIssue::row).containsExactly(4, 5);
        assertThat(result.unknown()).extracting(RowIssue::reason).containsOnly("no such study in dataset");
        assertThat(result.unknown().get(1).accessionNumber()).isEqualTo("ACC-2");
        assertThat(result.invalid()).extracting(RowIssue::row).containsExactly(7, 8, 9, 10);
        assertThat(published).extracting(LabelAssigned::studyId, LabelAssigned::label).containsExactly(
                org.assertj.core.groups.Tuple.tuple(pseudonyms.uid("1.1"), "a"),
                org.assertj.core.groups.Tuple.tuple(pseudonyms.uid("1.2"), "b"),
                org.assertj.core.groups.Tuple.tuple(pseudonyms.uid("3.1"), "d"),
                org.assertj.core.groups.Tuple.tuple(pseudonyms.uid("3.2"), "d"));
        assertThat(published).allSatisfy(l -> {
            assertThat(l.dataset()).isEqualTo(DATASET);
            assertThat(l.source()).isEqualTo("api");
        });
    }

    @Test
    void aStudyGivenTwoLabelsGetsNone() throws Exception {
        LabelImportResult result = service.assign(DATASET, List.of(
                row(1, "1.1", null, "a"), row(2, "1.2", null, "b"), row(3, null, "ACC-1", "z")));
        assertThat(result.assigned()).isEqualTo(1);
        assertThat(result.invalid()).extracting(RowIssue::row).containsExactly(1, 3);
        assertThat(result.invalid().get(0).reason()).isEqualTo("different labels for the same study in rows 1, 3");
        assertThat(published).extracting(LabelAssigned::label).containsExactly("b");
    }

    @Test
    void aBrokerFailureSaysHowFarItGot() {
        failAfter = 1;
        assertThatThrownBy(() -> service.assign(DATASET, List.of(row(1, "1.1", null, "a"), row(2, "1.2", null, "b"))))
                .isInstanceOfSatisfying(LabelService.PublishFailedException.class, e -> {
                    assertThat(e.published()).isEqualTo(1);
                    assertThat(e.total()).isEqualTo(2);
                });
    }

    /** The index's query side in memory: LabelService only asks it for a dataset's studies. */
    static final class InMemoryIndex extends InstanceIndex {
        private final java.util.List<Entry> entries = new java.util.ArrayList<>();

        InMemoryIndex() {
            super(null, null, "h2");
        }

        @Override
        public java.util.Optional<Long> record(InstanceIngested instance, String accessionId) {
            entries.add(new Entry(instance, accessionId));
            return java.util.Optional.of((long) entries.size());
        }

        @Override
        public DatasetStudies studies(String dataset) {
            java.util.Set<String> studies = new java.util.HashSet<>();
            java.util.Map<String, java.util.Set<String>> byAccession = new java.util.HashMap<>();
            for (Entry e : entries) {
                if (e.instance().dataset().equals(dataset)) {
                    studies.add(e.instance().studyId());
                    if (e.accessionId() != null) {
                        byAccession.computeIfAbsent(e.accessionId(), k -> new java.util.HashSet<>()).add(e.instance().studyId());
                    }
                }
            }
            return new DatasetStudies(studies, byAccession);
        }
    }
}
