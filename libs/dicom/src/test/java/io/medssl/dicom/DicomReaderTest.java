package io.medssl.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medssl.imaging.PixelArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DicomReaderTest {
    /** What a read gives a caller: the object's identity and pixels, or why not. */
    private record Reading(String sopInstanceUid, int attributes, int frames, float[] pixels, String refusal) {
        static Reading of(ThrowingRead read) {
            DicomObject object;
            try {
                object = read.read();
            } catch (InvalidDicomException e) {
                return new Reading(null, 0, 0, null, "unreadable: " + e.getMessage());
            }
            try {
                PixelArray pixels = PixelDecoder.decode(object);
                return new Reading(object.sopInstanceUid(), object.attributeCount(), pixels.frames(), pixels.data(), null);
            } catch (UndecodableImageException e) {
                return new Reading(object.sopInstanceUid(), object.attributeCount(), 0, null, "undecodable: " + e.getMessage());
            }
        }
    }

    @FunctionalInterface
    private interface ThrowingRead {
        DicomObject read() throws InvalidDicomException;
    }

    @Test
    void everySampleReadsTheSameFromAStreamAsFromItsFile() throws Exception {
        List<Path> samples;
        try (Stream<Path> files = Files.list(Samples.DIR)) {
            samples = files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".md")).sorted().toList();
        }
        assertThat(samples).hasSizeGreaterThan(10);
        int decoded = 0;
        for (Path sample : samples) {
            Reading fromFile = Reading.of(() -> DicomReader.read(sample));
            Reading fromStream = Reading.of(() -> DicomReader.read(() -> Files.newInputStream(sample)));
            assertThat(fromStream.sopInstanceUid()).as(sample.toString()).isEqualTo(fromFile.sopInstanceUid());
            assertThat(fromStream.attributes()).as(sample.toString()).isEqualTo(fromFile.attributes());
            assertThat(fromStream.frames()).as(sample.toString()).isEqualTo(fromFile.frames());
            assertThat(fromStream.pixels()).as(sample.toString()).isEqualTo(fromFile.pixels());
            // Messages may name the file; whether and why it was refused must match.
            assertThat(fromStream.refusal() == null).as(sample.toString()).isEqualTo(fromFile.refusal() == null);
            if (fromFile.pixels() != null) {
                decoded++;
            }
        }
        assertThat(decoded).as("most samples have pixels to compare").isGreaterThan(8);
    }

    @Test
    void aUidLongerThanAUidMayBeIsRefusedAtTheHeader(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("long-uid.dcm");
        String tooLong = "1.2." + "3".repeat(70);
        ImageObjectWriter.writeCt(new SyntheticImage("LONG^UID", "L-1", "19700101", "O", "1.2.3.1", "1.2.3.2", tooLong, "",
                "20260101", "120000", "LONG UID", 4, 4, new short[16], 1.0, 40, 400), file);
        assertThatThrownBy(() -> DicomReader.readHeader(file)).isInstanceOf(InvalidDicomException.class)
                .hasMessageContaining("SOPInstanceUID is longer than a UID may be");
    }
}
