package io.medssl.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import io.medssl.imaging.PixelArray;
import java.io.DataInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageObjectWriterTest {
    @TempDir
    Path dir;

    /** 6 × 5 pixels from −1000 to +1900 HU: both signs, so a sign or offset error shows. */
    private static SyntheticImage image() {
        short[] hu = new short[30];
        for (int i = 0; i < hu.length; i++) {
            hu[i] = (short) (-1000 + 100 * i);
        }
        return new SyntheticImage("PHANTOM^TEST1", "PH00000001", "19700131", "F", "2.25.11", "2.25.12", "2.25.13",
                "ACC000000001", "20240229", "143005", "CT CHEST PHANTOM", 6, 5, hu, 3.125, -600, 1500);
    }

    private static String string(AttributeList list, AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(list, tag).trim();
    }

    @Test
    void writesACtObjectWithPatientStudyAndGeometry() throws Exception {
        Path file = dir.resolve("ct.dcm");
        ImageObjectWriter.writeCt(image(), file);

        // Part 10: 128-byte preamble, then "DICM".
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(132);
            assertThat(new String(head, 128, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("DICM");
        }
        DicomObject back = DicomReader.read(file);
        assertThat(back.sopClassUid()).isEqualTo("1.2.840.10008.5.1.4.1.1.2");
        assertThat(back.transferSyntaxUid()).isEqualTo("1.2.840.10008.1.2.1");
        assertThat(back.sopInstanceUid()).isEqualTo("2.25.13");
        assertThat(back.studyInstanceUid()).isEqualTo("2.25.11");
        assertThat(back.seriesInstanceUid()).isEqualTo("2.25.12");
        assertThat(back.patientName()).isEqualTo("PHANTOM^TEST1");
        assertThat(back.patientId()).isEqualTo("PH00000001");
        assertThat(back.accessionNumber()).isEqualTo("ACC000000001");
        assertThat(back.modality()).isEqualTo("CT");
        assertThat(back.bodyPartExamined()).isEqualTo("CHEST");
        assertThat(back.photometricInterpretation()).isEqualTo("MONOCHROME2");
        assertThat(back.rows()).isEqualTo(6);
        assertThat(back.columns()).isEqualTo(5);

        AttributeList list = back.list;
        assertThat(string(list, TagFromName.PatientBirthDate)).isEqualTo("19700131");
        assertThat(string(list, TagFromName.PatientSex)).isEqualTo("F");
        assertThat(string(list, TagFromName.StudyDate)).isEqualTo("20240229");
        assertThat(string(list, TagFromName.StudyTime)).isEqualTo("143005");
        assertThat(string(list, TagFromName.MediaStorageSOPClassUID)).isEqualTo("1.2.840.10008.5.1.4.1.1.2");
        assertThat(string(list, TagFromName.MediaStorageSOPInstanceUID)).isEqualTo("2.25.13");
        assertThat(Attribute.getDoubleValues(list, TagFromName.PixelSpacing)).containsExactly(3.125, 3.125);
        assertThat(Attribute.getSingleIntegerValueOrDefault(list, TagFromName.PixelRepresentation, -1)).isEqualTo(1);
        assertThat(Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsStored, -1)).isEqualTo(16);
        assertThat(Attribute.getSingleDoubleValueOrDefault(list, TagFromName.RescaleSlope, 0)).isEqualTo(1.0);
        assertThat(Attribute.getSingleDoubleValueOrDefault(list, TagFromName.RescaleIntercept, 99)).isEqualTo(0.0);
        assertThat(Attribute.getSingleDoubleValueOrDefault(list, TagFromName.WindowCenter, 0)).isEqualTo(-600.0);
        assertThat(Attribute.getSingleDoubleValueOrDefault(list, TagFromName.WindowWidth, 0)).isEqualTo(1500.0);
        assertThat(string(list, TagFromName.FrameOfReferenceUID)).matches("2\\.25\\.[1-9][0-9]*");
        // Stored values are the HU themselves, as signed 16-bit.
        short[] stored = list.getPixelData().getShortValues();
        assertThat(stored).containsExactly(image().hounsfield());
    }

    @Test
    void decodedPixelsFollowTheWindow() throws Exception {
        Path file = dir.resolve("ct.dcm");
        ImageObjectWriter.writeCt(image(), file);
        PixelArray pixels = PixelDecoder.decode(DicomReader.read(file));
        assertThat(pixels.frames()).isEqualTo(1);
        short[] hu = image().hounsfield();
        for (int i = 0; i < hu.length; i++) {
            double expected = Math.max(0, Math.min(1, (hu[i] - (-600 - 750.0)) / 1500));
            assertThat((double) pixels.data()[i]).as("pixel %d (%d HU)", i, hu[i]).isCloseTo(expected, within(1e-5));
        }
    }

    @Test
    void dcmtkAcceptsTheObjectAndItsPixels() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/dcmdump")), "dcmtk not installed");
        Path file = dir.resolve("ct.dcm");
        ImageObjectWriter.writeCt(image(), file);
        String dump = Commands.run("dcmdump", "-E", file.toString());
        assertThat(dump).contains("PHANTOM^TEST1").contains("CHEST").contains("MONOCHROME2").doesNotContain("E: ");
        if (Files.isExecutable(Path.of("/usr/bin/dcm2pnm"))) {
            // dcmtk's renderer checks the image pixel module against the pixel data length.
            Path pgm = dir.resolve("ct.pgm");
            Commands.run("dcm2pnm", "+Wi", "1", file.toString(), pgm.toString());
            try (DataInputStream in = new DataInputStream(Files.newInputStream(pgm))) {
                assertThat(new String(in.readNBytes(2), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("P5");
            }
        }
    }

    @Test
    void rejectsInconsistentGeometry() {
        assertThatThrownBy(() -> new SyntheticImage("A", "B", "19700101", "M", "2.25.1", "2.25.2", "2.25.3", "X", "20240101",
                "120000", "D", 4, 4, new short[15], 1, 40, 400)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SyntheticImage("A", "B", "19700101", "M", "2.25.1", "2.25.2", "2.25.3", "X", "20240101",
                "120000", "D", 4, 4, new short[16], 0, 40, 400)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SyntheticImage("PHANTOM^JOSÉ", "B", "19700101", "M", "2.25.1", "2.25.2", "2.25.3", "X",
                "20240101", "120000", "D", 4, 4, new short[16], 1, 40, 400)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decimalStringsAndDerivedUidsAreValid() {
        assertThat(ImageObjectWriter.ds(3.125)).isEqualTo("3.125");
        assertThat(ImageObjectWriter.ds(-600)).isEqualTo("-600");
        assertThat(ImageObjectWriter.ds(400.0 / 3)).hasSizeLessThanOrEqualTo(16).startsWith("133.33");
        assertThat(ImageObjectWriter.ds(-198.4375)).isEqualTo("-198.4375");
        String uid = ImageObjectWriter.derivedUid("FoR:2.25.12");
        assertThat(uid).matches("2\\.25\\.[1-9][0-9]*").hasSizeLessThanOrEqualTo(64)
                .isEqualTo(ImageObjectWriter.derivedUid("FoR:2.25.12")).isNotEqualTo(ImageObjectWriter.derivedUid("FoR:2.25.13"));
    }

}
