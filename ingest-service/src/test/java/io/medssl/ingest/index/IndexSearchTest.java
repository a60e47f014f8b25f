package io.medssl.ingest.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.medssl.contracts.InstanceIngested;
import io.medssl.ingest.index.IndexSearch.Criterion;
import io.medssl.ingest.index.IndexSearch.Key;
import io.medssl.ingest.service.InstanceIndex;
import io.medssl.kafka.KafkaBrokerTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Index searches as QIDO-RS answers them, in the real database: study and series aggregates count
 * whole studies and series whatever matched, DICOM wildcards and UID lists match, SQL's own
 * wildcards do not, empty values match anything, and pages follow the study → series → instance
 * order. Every search is scoped to this test's own patient, so rows of other tests don't count.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
class IndexSearchTest {
    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    private static final String MR = "1.2.840.10008.5.1.4.1.1.4";
    private static final String SR = "1.2.840.10008.5.1.4.1.1.88.22";

    @Inject
    InstanceIndex index;

    /** A patient pseudonym of this run: SQL wildcard characters in it must match only themselves. */
    private String run;
    private String patient;
    private String studyA;
    private String studyB;

    @BeforeEach
    void recordTwoStudies() {
        run = UUID.randomUUID().toString().substring(0, 8);
        patient = "p_1%" + run;
        studyA = "a-" + run;
        studyB = "b-" + run;
        // Study A: a CT series of three instances and an SR; study B: an MR series of two.
        for (int i = 1; i <= 3; i++) {
            record(studyA, studyA + ".ct", studyA + ".ct." + i, "CT", CT, "acc-" + run);
        }
        record(studyA, studyA + ".sr", studyA + ".sr.1", "SR", SR, "acc-" + run);
        record(studyB, studyB + ".mr", studyB + ".mr.1", "MR", MR, null);
        record(studyB, studyB + ".mr", studyB + ".mr.2", "MR", MR, null);
    }

    private void record(String study, String series, String instance, String modality, String sopClass, String accession) {
        index.record(new InstanceIngested(1, instance, study, series, patient, "search", modality, "CHEST", sopClass, 8, 8, 1,
                null, false, "test", Instant.now(), null), accession);
    }

    private List<Criterion> mine(Criterion... more) {
        List<Criterion> criteria = new ArrayList<>(List.of(new Criterion(Key.PATIENT_ID, patient)));
        criteria.addAll(List.of(more));
        return criteria;
    }

    @Test
    void studiesMatchedOnAnInstanceOfThemCountTheWholeStudy() {
        assertThat(index.findStudies(mine(new Criterion(Key.MODALITY, "CT")), 0, 100))
                .extracting(IndexSearch.StudyMatch::studyId, m -> List.copyOf(m.modalities()),
                        IndexSearch.StudyMatch::seriesCount, IndexSearch.StudyMatch::instanceCount)
                .containsExactly(tuple(studyA, List.of("CT", "SR"), 2L, 4L));
        assertThat(index.findStudies(mine(new Criterion(Key.SOP_CLASS_UID, MR)), 0, 100))
                .extracting(IndexSearch.StudyMatch::studyId, IndexSearch.StudyMatch::instanceCount)
                .containsExactly(tuple(studyB, 2L));
        assertThat(index.findStudies(mine(), 0, 100)).extracting(IndexSearch.StudyMatch::accessionId)
                .containsExactly("acc-" + run, null);
    }

    @Test
    void seriesMatchedOnAnInstanceCountTheWholeSeries() {
        assertThat(index.findSeries(mine(new Criterion(Key.SOP_INSTANCE_UID, studyA + ".ct.2")), 0, 100))
                .extracting(IndexSearch.SeriesMatch::seriesId, IndexSearch.SeriesMatch::modality,
                        IndexSearch.SeriesMatch::instanceCount)
                .containsExactly(tuple(studyA + ".ct", "CT", 3L));
        assertThat(index.findSeries(mine(new Criterion(Key.STUDY_UID, studyA)), 0, 100))
                .extracting(IndexSearch.SeriesMatch::seriesId).containsExactly(studyA + ".ct", studyA + ".sr");
    }

    @Test
    void uidListsAndDicomWildcardsMatchButSqlWildcardsAreLiteral() {
        assertThat(index.findStudies(mine(new Criterion(Key.STUDY_UID, studyA + "," + studyB)), 0, 100)).hasSize(2);
        assertThat(index.findStudies(mine(new Criterion(Key.STUDY_UID, studyB + "\\nothing")), 0, 100))
                .extracting(IndexSearch.StudyMatch::studyId).containsExactly(studyB);
        assertThat(index.findInstances(mine(new Criterion(Key.SOP_INSTANCE_UID, studyA + ".ct.?")), false, 0, 100)).hasSize(3);
        assertThat(index.findInstances(mine(new Criterion(Key.SERIES_UID, "*.mr")), false, 0, 100)).hasSize(2);

        // The patient pseudonym holds '_' and '%': as a pattern they match only themselves.
        assertThat(index.findStudies(List.of(new Criterion(Key.PATIENT_ID, "p?1?" + run)), 0, 100)).hasSize(2);
        assertThat(index.findStudies(List.of(new Criterion(Key.PATIENT_ID, "p_1%*")), 0, 100)).hasSizeGreaterThanOrEqualTo(2);
        assertThat(index.findStudies(List.of(new Criterion(Key.PATIENT_ID, "pX1Y" + run + "*")), 0, 100)).isEmpty();
        assertThat(index.findStudies(List.of(new Criterion(Key.PATIENT_ID, "p_1%")), 0, 100)).isEmpty();
        // A UID list is not split when the value is named exactly (a pseudonym in a URL path).
        assertThat(index.findStudies(mine(Criterion.exactly(Key.STUDY_UID, studyA + "," + studyB)), 0, 100)).isEmpty();
    }

    @Test
    void anEmptyValueOrALoneStarMatchesEveryRowEvenWithoutTheAttribute() {
        assertThat(index.findStudies(mine(new Criterion(Key.ACCESSION_NUMBER, "")), 0, 100)).hasSize(2);
        assertThat(index.findStudies(mine(new Criterion(Key.ACCESSION_NUMBER, "*")), 0, 100)).hasSize(2);
        assertThat(index.findStudies(mine(new Criterion(Key.ACCESSION_NUMBER, "acc-*")), 0, 100))
                .extracting(IndexSearch.StudyMatch::studyId).containsExactly(studyA);
    }

    @Test
    void pagesFollowStudySeriesInstanceOrder() {
        List<String> all = index.findInstances(mine(), false, 0, 100).stream().map(e -> e.instance().instanceId()).toList();
        assertThat(all).containsExactly(studyA + ".ct.1", studyA + ".ct.2", studyA + ".ct.3", studyA + ".sr.1",
                studyB + ".mr.1", studyB + ".mr.2");
        assertThat(index.findInstances(mine(), false, 2, 3)).extracting(e -> e.instance().instanceId())
                .containsExactlyElementsOf(all.subList(2, 5));
        assertThat(index.findSeries(mine(), 1, 1)).extracting(IndexSearch.SeriesMatch::seriesId).containsExactly(studyA + ".sr");
        assertThat(index.findStudies(mine(), 1, 5)).extracting(IndexSearch.StudyMatch::studyId).containsExactly(studyB);
        assertThat(index.findInstances(mine(), false, 0, 0)).as("limit=0 asks for nothing").isEmpty();
    }
}
