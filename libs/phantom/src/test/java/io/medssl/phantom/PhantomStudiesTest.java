package io.medssl.phantom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.medssl.imaging.GrayImage;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PhantomStudiesTest {
    private static final String UID = "2\\.25\\.(0|[1-9][0-9]*)";

    @Test
    void classesAreBalancedAndShuffled() {
        List<PhantomStudy> studies = PhantomStudies.generate(31, 7, 64);
        Map<PhantomClass, Long> counts = studies.stream().collect(Collectors.groupingBy(PhantomStudy::label, Collectors.counting()));
        assertThat(counts).containsOnlyKeys(PhantomClass.values());
        assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(10L, 11L));
        List<PhantomClass> order = studies.stream().map(PhantomStudy::label).toList();
        assertThat(order.subList(0, 6)).isNotEqualTo(List.of(PhantomClass.NORMAL, PhantomClass.NODULE, PhantomClass.EFFUSION,
                PhantomClass.NORMAL, PhantomClass.NODULE, PhantomClass.EFFUSION));
        assertThat(PhantomStudies.generate(0, 7)).isEmpty();
    }

    @Test
    void theSameSeedGivesTheSameStudies() {
        List<PhantomStudy> a = PhantomStudies.generate(6, 11, 64);
        List<PhantomStudy> b = PhantomStudies.generate(6, 11, 64);
        List<PhantomStudy> other = PhantomStudies.generate(6, 12, 64);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i).studyInstanceUid()).isEqualTo(a.get(i).studyInstanceUid());
            assertThat(b.get(i).patientName()).isEqualTo(a.get(i).patientName());
            assertThat(b.get(i).label()).isEqualTo(a.get(i).label());
            assertThat(b.get(i).hounsfield()).containsExactly(a.get(i).hounsfield());
            assertThat(other.get(i).studyInstanceUid()).isNotEqualTo(a.get(i).studyInstanceUid());
            // groundTruth re-renders the very same pixels.
            assertThat(a.get(i).groundTruth().hounsfield()).containsExactly(a.get(i).hounsfield());
        }
    }

    @Test
    void identifiersAreValidAndDistinct() {
        List<PhantomStudy> studies = PhantomStudies.generate(60, 3, 32);
        Set<String> uids = new HashSet<>();
        for (PhantomStudy s : studies) {
            for (String uid : List.of(s.studyInstanceUid(), s.seriesInstanceUid(), s.sopInstanceUid())) {
                assertThat(uid).matches(UID).hasSizeLessThanOrEqualTo(64);
                assertThat(uids.add(uid)).as("duplicate UID %s", uid).isTrue();
            }
            assertThat(s.patientName()).matches("PHANTOM\\^[A-Z]+[0-9]+");
            assertThat(s.patientSex()).isIn("M", "F");
            assertThat(s.accessionNumber()).hasSizeLessThanOrEqualTo(16);
            assertThat(s.patientId()).hasSizeLessThanOrEqualTo(64);
            assertThat(s.studyTime()).matches("[0-9]{6}");
            LocalDate birth = LocalDate.parse(s.patientBirthDate(), DateTimeFormatter.BASIC_ISO_DATE);
            LocalDate study = LocalDate.parse(s.studyDate(), DateTimeFormatter.BASIC_ISO_DATE);
            assertThat(birth.plusYears(14)).isBefore(study);
            assertThat(s.rows()).isEqualTo(32);
            assertThat(s.pixelSpacingMm()).isEqualTo(ChestPhantom.FIELD_OF_VIEW_MM / 32);
        }
        assertThat(distinct(studies, PhantomStudy::patientId)).isEqualTo(studies.size());
        assertThat(distinct(studies, PhantomStudy::patientName)).isEqualTo(studies.size());
        assertThat(distinct(studies, PhantomStudy::accessionNumber)).isEqualTo(studies.size());
    }

    @Test
    void grayImagesApplyTheWindow() {
        PhantomStudy s = PhantomStudies.generate(1, 5).get(0);
        GrayImage lung = PhantomStudies.toGrayImage(s);
        GrayImage mediastinal = PhantomStudies.toGrayImage(s, 40, 400);
        assertThat(lung.rows()).isEqualTo(128);
        for (int i = 0; i < s.hounsfield().length; i++) {
            double hu = s.hounsfield()[i];
            assertThat((double) lung.pixels()[i]).isCloseTo(Math.max(0, Math.min(1, (hu + 1350) / 1500)), within(1e-6));
            assertThat((double) mediastinal.pixels()[i]).isCloseTo(Math.max(0, Math.min(1, (hu + 160) / 400)), within(1e-6));
        }
        // In the lung window the lungs are mid-grey: neither clipped nor white.
        PhantomSlice truth = s.groundTruth();
        double sum = 0;
        int n = 0;
        for (int i = 0; i < truth.lungMask().length; i++) {
            if (truth.lungMask()[i]) {
                sum += lung.pixels()[i];
                n++;
            }
        }
        assertThat(sum / n).isBetween(0.25, 0.55);
    }

    private static long distinct(List<PhantomStudy> studies, Function<PhantomStudy, String> key) {
        return studies.stream().map(key).distinct().count();
    }
}
