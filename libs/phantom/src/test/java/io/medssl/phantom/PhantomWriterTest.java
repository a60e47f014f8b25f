package io.medssl.phantom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.medssl.dicom.DicomObject;
import io.medssl.dicom.DicomReader;
import io.medssl.dicom.PixelDecoder;
import io.medssl.imaging.GrayImage;
import io.medssl.imaging.PixelArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhantomWriterTest {
    @TempDir
    static Path dir;
    static List<PhantomStudy> studies;
    static List<Path> files;

    @BeforeAll
    static void write() throws Exception {
        studies = PhantomStudies.generate(6, 2024);
        files = PhantomWriter.writeStudies(studies, dir.resolve("dataset"));
    }

    @Test
    void oneFilePerStudyAndALabelRowPerStudy() throws Exception {
        assertThat(files).hasSize(studies.size()).allSatisfy(f -> assertThat(f).isRegularFile());
        List<String> lines = Files.readAllLines(dir.resolve("dataset").resolve("labels.csv"));
        assertThat(lines.get(0)).isEqualTo("StudyInstanceUID,AccessionNumber,label");
        assertThat(lines).hasSize(studies.size() + 1);
        for (int i = 0; i < studies.size(); i++) {
            PhantomStudy s = studies.get(i);
            assertThat(lines.get(i + 1)).isEqualTo(s.studyInstanceUid() + "," + s.accessionNumber() + "," + s.label().label());
        }
        assertThat(lines.subList(1, lines.size())).extracting(l -> l.split(",")[2])
                .containsOnly("normal", "nodule", "effusion").contains("normal", "nodule", "effusion");
    }

    @Test
    void filesReadBackWithTheirIdentityAndPixels() throws Exception {
        for (int i = 0; i < studies.size(); i++) {
            PhantomStudy s = studies.get(i);
            DicomObject back = DicomReader.read(files.get(i));
            assertThat(back.patientName()).isEqualTo(s.patientName());
            assertThat(back.patientId()).isEqualTo(s.patientId());
            assertThat(back.studyInstanceUid()).isEqualTo(s.studyInstanceUid());
            assertThat(back.seriesInstanceUid()).isEqualTo(s.seriesInstanceUid());
            assertThat(back.sopInstanceUid()).isEqualTo(s.sopInstanceUid());
            assertThat(back.accessionNumber()).isEqualTo(s.accessionNumber());
            assertThat(back.sopClassUid()).isEqualTo("1.2.840.10008.5.1.4.1.1.2");
            assertThat(back.modality()).isEqualTo("CT");
            assertThat(back.bodyPartExamined()).isEqualTo("CHEST");
            assertThat(back.rows()).isEqualTo(s.rows());
            assertThat(back.columns()).isEqualTo(s.cols());

            // The decoder applies the stored lung window: the same image the tests train on.
            PixelArray decoded = PixelDecoder.decode(back);
            GrayImage expected = PhantomStudies.toGrayImage(s);
            assertThat(decoded.frames()).isEqualTo(1);
            for (int p = 0; p < expected.pixels().length; p++) {
                assertThat((double) decoded.data()[p]).isCloseTo(expected.pixels()[p], within(1e-4));
            }
        }
    }

    @Test
    void dcmtkReadsTheFiles() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/dcmdump")), "dcmtk not installed");
        for (int i = 0; i < studies.size(); i++) {
            PhantomStudy s = studies.get(i);
            String dump = run("dcmdump", files.get(i).toString());
            assertThat(dump).contains(s.patientName()).contains(s.patientBirthDate()).contains(s.studyDate())
                    .contains("=CTImageStorage").contains("=LittleEndianExplicit").doesNotContain("E: ");
        }
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
