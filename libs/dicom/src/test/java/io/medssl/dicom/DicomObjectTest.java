package io.medssl.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DicomObjectTest {

    @Test
    void readsIdentifiersAndGeometry() throws Exception {
        DicomObject ct = DicomReader.read(Samples.file("CT-JPEGLosslessSV1.dcm"));
        assertThat(ct.modality()).isEqualTo("CT");
        assertThat(ct.sopClassUid()).isEqualTo("1.2.840.10008.5.1.4.1.1.2");
        assertThat(ct.transferSyntaxUid()).isEqualTo("1.2.840.10008.1.2.4.70");
        assertThat(ct.rows()).isEqualTo(512);
        assertThat(ct.frames()).isEqualTo(1);
        assertThat(ct.hasPixelData()).isTrue();
        assertThat(ct.studyInstanceUid()).isNotEmpty();
    }
}
