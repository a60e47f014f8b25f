package io.medssl.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import io.medssl.imaging.PixelArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PixelDecoderTest {

    @ParameterizedTest(name = "{0} decodes to {1} x {2} x {3}")
    @CsvSource({
        "CT-JPEGLosslessSV1.dcm, 1, 512, 512",
        "MR-JPEGLosslessSV1.dcm, 1, 256, 256",
        "MR2_UNC, 1, 1024, 1024",
        "NM-MONO2-16-13x-heart, 13, 64, 64",
        "OT-PAL-8-face, 1, 480, 640",
        "US-PAL-8-10x-echo, 10, 430, 600",
        "US-RGB-8-esopecho, 1, 120, 256",
        "YBR_FULL-RLE.dcm, 1, 480, 640",
        "cplx_p02.dcm, 2, 512, 1024",
        "test16signed.dcm, 1, 512, 512",
    })
    void decodableSamplesBecomeNormalisedFramesWithContent(String name, int frames, int rows, int cols) throws Exception {
        DicomObject object = DicomReader.read(Samples.file(name));
        PixelArray pixels = PixelDecoder.decode(object);
        assertThat(pixels.frames()).isEqualTo(frames);
        assertThat(pixels.rows()).isEqualTo(rows);
        assertThat(pixels.cols()).isEqualTo(cols);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : pixels.data()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertThat(min).isGreaterThanOrEqualTo(0f);
        assertThat(max).isLessThanOrEqualTo(1f);
        assertThat(max - min).as("an image, not a constant").isGreaterThan(0.2f);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpeg-ls-Palette.dcm", "NM1_JPLY", "report_dfl"})
    void undecodableObjectsAreReadButRefusedWithAReason(String name) throws Exception {
        DicomObject object = DicomReader.read(Samples.file(name));
        assertThat(object.sopInstanceUid()).isNotEmpty();
        assertThatThrownBy(() -> PixelDecoder.decode(object))
                .isInstanceOf(UndecodableImageException.class)
                .hasMessageNotContaining("null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"no_preamble_dicm_in_data"})
    void malformedStreamsAreRejected(String name) {
        assertThatThrownBy(() -> DicomReader.read(Samples.file(name))).isInstanceOf(InvalidDicomException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 10, 132, 300, 1000, 50_000, 400_000})
    void truncatedFilesNeverCrashAndNeverDecodeToGarbage(int length, @TempDir Path dir) throws IOException {
        byte[] whole = Files.readAllBytes(Samples.file("test16signed.dcm"));
        Path cut = Files.write(dir.resolve("cut.dcm"), Arrays.copyOf(whole, length));
        try {
            DicomObject object = DicomReader.read(cut);
            assertThatThrownBy(() -> PixelDecoder.decode(object)).isInstanceOf(UndecodableImageException.class);
        } catch (InvalidDicomException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @org.junit.jupiter.api.Test
    void aDefaultWindowAppliesOnlyToObjectsWithoutTheirOwn() throws Exception {
        PixelDecoder.Window narrow = new PixelDecoder.Window(0, 2);
        // MR2_UNC carries a window: a default changes nothing.
        DicomObject mr = DicomReader.read(Samples.file("MR2_UNC"));
        assertThat(Arrays.equals(PixelDecoder.decode(mr, narrow).data(), PixelDecoder.decode(mr).data())).isTrue();
        // cplx_p02.dcm has none: the default window replaces the value range, so far more values
        // saturate than under the range (where only the extremes reach 0 or 1).
        DicomObject ot = DicomReader.read(Samples.file("cplx_p02.dcm"));
        float[] byRange = PixelDecoder.decode(ot).data();
        float[] byDefault = PixelDecoder.decode(ot, narrow).data();
        assertThat(Arrays.equals(byDefault, byRange)).isFalse();
        long saturated = 0;
        long saturatedByRange = 0;
        for (int i = 0; i < byDefault.length; i++) {
            assertThat(byDefault[i]).isBetween(0f, 1f);
            saturated += byDefault[i] == 0f || byDefault[i] == 1f ? 1 : 0;
            saturatedByRange += byRange[i] == 0f || byRange[i] == 1f ? 1 : 0;
        }
        assertThat((double) (saturated - saturatedByRange) / byDefault.length).isGreaterThan(0.2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"CT-JPEGLosslessSV1.dcm", "MR-JPEGLosslessSV1.dcm", "MR2_UNC", "NM-MONO2-16-13x-heart",
            "OT-PAL-8-face", "US-RGB-8-esopecho", "YBR_FULL-RLE.dcm", "cplx_p02.dcm", "test16signed.dcm"})
    void readingStoredValuesDirectlyGivesWhatPixelMedsImagePathGives(String name) throws Exception {
        DicomObject object = DicomReader.read(Samples.file(name));
        PixelDecoder.Window ct = new PixelDecoder.Window(40, 400);
        for (PixelDecoder.Window window : java.util.Arrays.asList(null, ct)) {
            float[] direct = PixelDecoder.decode(object, window, true).data();
            float[] viaImage = PixelDecoder.decode(object, window, false).data();
            assertThat(Arrays.equals(direct, viaImage)).as(name + " window " + window).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"MR2_UNC", "test16signed.dcm"})
    void largeImagesMappedThroughALookupTableGetEachPixelsOwnValue(String name) throws Exception {
        // 1024x1024 12-bit unsigned with a rescale slope, and 512x512 16-bit signed: both have more
        // pixels than twice their stored levels, so the decoder maps levels once and looks pixels up.
        DicomObject object = DicomReader.read(Samples.file(name));
        PixelDecoder.Window fallback = new PixelDecoder.Window(40, 400);
        float[] decoded = PixelDecoder.decode(object, fallback).data();

        AttributeList list = object.list;
        short[] raw = list.getPixelData().getShortValues();
        int bits = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsStored, 16);
        boolean signed = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.PixelRepresentation, 0) == 1;
        double slope = Attribute.getSingleDoubleValueOrDefault(list, TagFromName.RescaleSlope, 1);
        double intercept = Attribute.getSingleDoubleValueOrDefault(list, TagFromName.RescaleIntercept, 0);
        double center = Attribute.getSingleDoubleValueOrDefault(list, TagFromName.WindowCenter, Double.NaN);
        double width = Attribute.getSingleDoubleValueOrDefault(list, TagFromName.WindowWidth, Double.NaN);
        if (Double.isNaN(center) || Double.isNaN(width) || width <= 1) {
            center = fallback.center();
            width = fallback.width();
        }
        assertThat(decoded).hasSize(object.rows() * object.columns());
        Set<Float> levels = new HashSet<>();
        for (int i = 0; i < decoded.length; i++) {
            int v = raw[i] & ((1 << bits) - 1);
            if (signed && v >= 1 << (bits - 1)) {
                v -= 1 << bits;
            }
            double y = Math.min(1, Math.max(0, (v * slope + intercept - (center - width / 2)) / width));
            assertThat(decoded[i]).as("pixel %d", i).isEqualTo((float) y);
            levels.add(decoded[i]);
        }
        assertThat(levels.size()).as("not everything saturated: the comparison means something").isGreaterThan(10);
    }

    @org.junit.jupiter.api.Test
    void nativeSixteenBitGrayscaleIsReadDirectly() throws Exception {
        // The fast path must actually serve the common case (uncompressed 16-bit CT/MR), signed or not.
        assertThat(PixelDecoder.readsDirectly(DicomReader.read(Samples.file("test16signed.dcm")))).isTrue();
        assertThat(PixelDecoder.readsDirectly(DicomReader.read(Samples.file("MR2_UNC")))).isTrue();
        assertThat(PixelDecoder.readsDirectly(DicomReader.read(Samples.file("OT-PAL-8-face")))).isFalse();
    }
}
