package io.medssl.phantom;

import static org.assertj.core.api.Assertions.assertThat;

import io.medssl.dicom.DicomObject;
import io.medssl.dicom.DicomReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhantomArchiveTest {
    @TempDir
    Path dir;

    @Test
    void studiesHoldTheirSeriesAndInstancesUnderDistinctUidsAndTheSameSeedGivesTheSameArchive() throws Exception {
        assertThat(PhantomArchive.write(2, 2, 3, 7, 32, dir.resolve("a"))).isEqualTo(12);
        List<DicomObject> objects = read(dir.resolve("a"));
        assertThat(objects).hasSize(12);
        assertThat(objects.stream().map(DicomObject::sopInstanceUid).distinct()).hasSize(12);
        Map<String, Set<String>> seriesByStudy = objects.stream().collect(Collectors.groupingBy(DicomObject::studyInstanceUid,
                Collectors.mapping(DicomObject::seriesInstanceUid, Collectors.toSet())));
        assertThat(seriesByStudy).hasSize(2).allSatisfy((study, series) -> assertThat(series).hasSize(2));
        assertThat(objects.stream().collect(Collectors.groupingBy(DicomObject::seriesInstanceUid, Collectors.counting())))
                .hasSize(4).allSatisfy((series, count) -> assertThat(count).isEqualTo(3));

        PhantomArchive.write(2, 2, 3, 7, 32, dir.resolve("b"));
        assertThat(read(dir.resolve("b")).stream().map(DicomObject::sopInstanceUid).toList())
                .isEqualTo(objects.stream().map(DicomObject::sopInstanceUid).toList());
    }

    private static List<DicomObject> read(Path folder) throws Exception {
        List<DicomObject> objects = new ArrayList<>();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                objects.add(DicomReader.read(file));
            }
        }
        return objects;
    }
}
