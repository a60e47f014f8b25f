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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecondaryCaptureWriterTest {
    @TempDir
    Path dir;

    /** {@code rows × cols} pixels running through 0 … 255 (both ends included). */
    private static byte[] ramp(int rows, int cols) {
        byte[] pixels = new byte[rows * cols];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) Math.round(255.0 * i / (pixels.length - 1));
        }
        return pixels;
    }

    private static SecondaryCaptureImage image(int rows, int cols, String studyDate, String studyTime) {
        return new SecondaryCaptureImage("MEDMNIST^000007", "MM-000007", "2.25.21", "2.25.22", "2.25.23", "MM0123456789ABCD",
                studyDate, studyTime, "MEDMNIST TEST", "OT", rows, cols, ramp(rows, cols), 1.0, 127.5, 256);
    }

    private static String string(AttributeList list, AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(list, tag).trim();
    }

    @Test
    void writesAn8BitSecondaryCaptureObject() throws Exception {
        Path file = dir.resolve("sc.dcm");
        SecondaryCaptureImage image = image(6, 4, "20240229", "143005");
        ImageObjectWriter.writeSecondaryCapture(image, file);

        DicomObject back = DicomReader.read(file);
        assertThat(back.sopClassUid()).isEqualTo("1.2.840.10008.5.1.4.1.1.7");
        assertThat(back.transferSyntaxUid()).isEqualTo("1.2.840.10008.1.2.1");
        assertThat(back.studyInstanceUid()).isEqualTo("2.25.21");
        assertThat(back.seriesInstanceUid()).isEqualTo("2.25.22");
        assertThat(back.sopInstanceUid()).isEqualTo("2.25.23");
        assertThat(back.patientName()).isEqualTo("MEDMNIST^000007");
        assertThat(back.patientId()).isEqualTo("MM-000007");
        assertThat(back.accessionNumber()).isEqualTo("MM0123456789ABCD");
        assertThat(back.modality()).isEqualTo("OT");
        assertThat(back.photometricInterpretation()).isEqualTo("MONOCHROME2");
        assertThat(back.rows()).isEqualTo(6);
        assertThat(back.columns()).isEqualTo(4);

        AttributeList list = back.list;
        assertThat(string(list, TagFromName.MediaStorageSOPClassUID)).isEqualTo("1.2.840.10008.5.1.4.1.1.7");
        assertThat(string(list, TagFromName.ConversionType)).isEqualTo("WSD");
        assertThat(string(list, TagFromName.StudyDate)).isEqualTo("20240229");
        assertThat(string(list, TagFromName.StudyDescription)).isEqualTo("MEDMNIST TEST");
        assertThat(list.get(TagFromName.PatientBirthDate)).as("Type 2: present").isNotNull();
        assertThat(string(list, TagFromName.PatientBirthDate)).isEmpty();
        assertThat(Attribute.getDoubleValues(list, TagFromName.PixelSpacing)).containsExactly(1.0, 1.0);
        assertThat(Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsAllocated, -1)).isEqualTo(8);
        assertThat(Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsStored, -1)).isEqualTo(8);
        assertThat(Attribute.getSingleIntegerValueOrDefault(list, TagFromName.PixelRepresentation, -1)).isZero();
        assertThat(list.get(TagFromName.RescaleSlope)).as("no modality LUT").isNull();
        assertThat(Attribute.getSingleDoubleValueOrDefault(list, TagFromName.WindowCenter, 0)).isEqualTo(127.5);
        assertThat(Attribute.getSingleDoubleValueOrDefault(list, TagFromName.WindowWidth, 0)).isEqualTo(256.0);
        assertThat(list.getPixelData().getByteValues()).containsExactly(image.pixels());
    }

    @Test
    void decodedPixelsAreStoredValuesOver255() throws Exception {
        // Odd pixel count: the OB value is padded to even length, which must not disturb decoding.
        for (int[] geometry : new int[][] {{28, 28}, {5, 3}}) {
            Path file = dir.resolve("sc-" + geometry[0] + "x" + geometry[1] + ".dcm");
            SecondaryCaptureImage image = image(geometry[0], geometry[1], null, null);
            ImageObjectWriter.writeSecondaryCapture(image, file);
            PixelArray pixels = PixelDecoder.decode(DicomReader.read(file));
            assertThat(pixels.frames()).isEqualTo(1);
            assertThat(pixels.rows()).isEqualTo(geometry[0]);
            assertThat(pixels.cols()).isEqualTo(geometry[1]);
            for (int i = 0; i < image.pixels().length; i++) {
                int v = image.pixels()[i] & 0xff;
                // Window 127.5/256 maps v to (v + 0.5) / 256: within half a grey level of v / 255.
                assertThat((double) pixels.data()[i]).as("pixel %d = %d", i, v).isCloseTo((v + 0.5) / 256, within(1e-6))
                        .isCloseTo(v / 255.0, within(0.5 / 255));
            }
        }
    }

    @Test
    void dcmtkAcceptsTheObjectAndItsPixels() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/dcmdump")), "dcmtk not installed");
        Path file = dir.resolve("sc.dcm");
        ImageObjectWriter.writeSecondaryCapture(image(5, 3, null, null), file);
        String dump = Commands.run("dcmdump", "-E", file.toString());
        assertThat(dump).contains("MEDMNIST^000007").contains("=SecondaryCaptureImageStorage").contains("MONOCHROME2")
                .doesNotContain("E: ");
        if (Files.isExecutable(Path.of("/usr/bin/dcm2pnm"))) {
            // Through the object's own window (+Wi 1: 127.5/256), dcmtk renders the stored values as they are.
            Path pgm = dir.resolve("sc.pgm");
            Commands.run("dcm2pnm", "+Wi", "1", file.toString(), pgm.toString());
            byte[] bytes = Files.readAllBytes(pgm);
            assertThat(new String(bytes, 0, 2, StandardCharsets.US_ASCII)).isEqualTo("P5");
            assertThat(Arrays.copyOfRange(bytes, bytes.length - 15, bytes.length)).containsExactly(ramp(5, 3));
        }
    }

    @Test
    void rejectsInconsistentInput() {
        assertThatThrownBy(() -> new SecondaryCaptureImage("A", "B", "2.25.1", "2.25.2", "2.25.3", "X", null, null, "D", "OT",
                4, 4, new byte[15], 1, 127.5, 256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SecondaryCaptureImage("A", "B", "2.25.1", "2.25.2", "2.25.3", "X", null, null, "D", "OT",
                4, 4, new byte[16], 0, 127.5, 256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SecondaryCaptureImage("A", "B", "2.25.1", "2.25.2", "2.25.3", "X", null, null, "D", "ot",
                4, 4, new byte[16], 1, 127.5, 256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SecondaryCaptureImage("JOSÉ", "B", "2.25.1", "2.25.2", "2.25.3", "X", null, null, "D", "OT",
                4, 4, new byte[16], 1, 127.5, 256)).isInstanceOf(IllegalArgumentException.class);
    }

}
