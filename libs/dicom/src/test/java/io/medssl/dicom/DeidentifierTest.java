package io.medssl.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeidentifierTest {
    private static final Deidentifier.Pseudonyms PSEUDONYMS =
            new Deidentifier.Pseudonyms(uid -> "2.25.9" + uid.replace(".", ""), "P-0123456789abcdef", 10);

    @TempDir
    Path dir;

    private Path original() throws Exception {
        short[] hu = new short[8 * 8];
        for (int i = 0; i < hu.length; i++) {
            hu[i] = (short) (i * 17 - 500);
        }
        Path file = dir.resolve("original.dcm");
        ImageObjectWriter.writeCt(new SyntheticImage("DOE^JANE", "MRN-4711", "19610512", "F", "1.2.3.100", "1.2.3.200",
                "1.2.3.300", "ACC-99", "20240229", "143005", "CT CHEST FOR JANE DOE", 8, 8, hu, 0.7, 40, 400), file);
        return file;
    }

    private static AttributeList read(Path file) throws Exception {
        AttributeList list = new AttributeList();
        list.read(new File(file.toString()));
        return list;
    }

    private static String string(AttributeList list, AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(list, tag).trim();
    }

    @Test
    void basicProfileRemovesIdentifiersAndKeysUidsPatientAndDates() throws Exception {
        Path original = original();
        DicomObject object = DicomReader.read(original);
        Path copy = dir.resolve("copy.dcm");
        try (var out = Files.newOutputStream(copy)) {
            Deidentifier.writeDeidentified(object, new Deidentifier.Options(true, false, false, false, false), PSEUDONYMS, out);
            // The caller's stream stays open (storage fsyncs it after writing).
            out.write(new byte[0]);
            out.flush();
        }

        AttributeList list = read(copy);
        assertThat(string(list, TagFromName.PatientID)).isEqualTo("P-0123456789abcdef");
        assertThat(string(list, TagFromName.PatientName)).isEqualTo("P-0123456789abcdef");
        assertThat(string(list, TagFromName.PatientBirthDate)).isEmpty();
        assertThat(string(list, TagFromName.PatientSex)).isEmpty();
        assertThat(string(list, TagFromName.AccessionNumber)).isEmpty();
        assertThat(list.get(TagFromName.StudyDescription)).isNull();
        assertThat(string(list, TagFromName.PatientIdentityRemoved)).isEqualTo("YES");
        assertThat(string(list, TagFromName.LongitudinalTemporalInformationModified)).isEqualTo("MODIFIED");
        // Keyed UIDs (the caller's mapping), standard UIDs untouched.
        assertThat(string(list, TagFromName.StudyInstanceUID)).isEqualTo("2.25.9123100");
        assertThat(string(list, TagFromName.SeriesInstanceUID)).isEqualTo("2.25.9123200");
        assertThat(string(list, TagFromName.SOPInstanceUID)).isEqualTo("2.25.9123300");
        assertThat(string(list, TagFromName.MediaStorageSOPInstanceUID)).isEqualTo("2.25.9123300");
        assertThat(string(list, TagFromName.SOPClassUID)).isEqualTo("1.2.840.10008.5.1.4.1.1.2");
        // Dates moved back by the patient's 10 days; the time of day stays.
        assertThat(string(list, TagFromName.StudyDate)).isEqualTo("20240219");
        assertThat(string(list, TagFromName.StudyTime)).startsWith("143005");
        // The method codes say what was done, and not "Retain UIDs".
        SequenceAttribute methods = (SequenceAttribute) list.get(TagFromName.DeidentificationMethodCodeSequence);
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < methods.getNumberOfItems(); i++) {
            codes.add(string(methods.getItem(i).getAttributeList(), TagFromName.CodeValue));
        }
        assertThat(codes).contains("113100", "113107").doesNotContain("113110");
        // No identifying value anywhere in the written bytes; the pixels are the original's.
        String bytes = new String(Files.readAllBytes(copy), StandardCharsets.ISO_8859_1);
        for (String phi : List.of("DOE^JANE", "MRN-4711", "19610512", "ACC-99", "1.2.3.100", "1.2.3.200", "1.2.3.300", "JANE")) {
            assertThat(bytes).doesNotContain(phi);
        }
        short[] before = read(original).getPixelData().getShortValues();
        short[] after = list.getPixelData().getShortValues();
        assertThat(Arrays.equals(before, after)).isTrue();
    }

    @Test
    void optionsRetainCharacteristicsOrRemoveDates() throws Exception {
        DicomObject object = DicomReader.read(original());
        Path copy = dir.resolve("copy.dcm");
        try (var out = Files.newOutputStream(copy)) {
            Deidentifier.writeDeidentified(object, new Deidentifier.Options(false, true, false, false, true), PSEUDONYMS, out);
        }

        AttributeList list = read(copy);
        assertThat(string(list, TagFromName.PatientSex)).isEqualTo("F");
        assertThat(string(list, TagFromName.StudyDescription)).isEqualTo("CT CHEST FOR JANE DOE");
        assertThat(string(list, TagFromName.StudyDate)).isEmpty();
        assertThat(string(list, TagFromName.LongitudinalTemporalInformationModified)).isEqualTo("REMOVED");
        assertThat(string(list, TagFromName.PatientBirthDate)).isEmpty();
    }

    @Test
    void aFailingTargetStreamIsReportedAsItselfNotAsAnObjectThatCannotBeDeidentified() throws Exception {
        DicomObject object = DicomReader.read(original());
        java.io.IOException full = new java.io.IOException("No space left on device");
        java.io.OutputStream failing = new java.io.OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                throw full;
            }

            @Override
            public void write(byte[] b, int off, int len) throws java.io.IOException {
                throw full;
            }
        };
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Deidentifier.writeDeidentified(object,
                        new Deidentifier.Options(true, false, false, false, false), PSEUDONYMS, failing))
                .isSameAs(full);
    }
}
