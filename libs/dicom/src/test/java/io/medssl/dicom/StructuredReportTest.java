package io.medssl.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StructuredReportTest {
    @TempDir
    Path dir;

    private static ModelFinding finding() {
        Map<String, Double> p = new LinkedHashMap<>();
        p.put("normal", 0.2);
        p.put("nodule", 0.7);
        p.put("effusion", 0.1);
        return new ModelFinding("chest-ct", 4, p, "nodule");
    }

    @Test
    void anSrInTheSourceStudyReferencingTheSourceImage() throws Exception {
        DicomObject ct = DicomReader.read(Samples.file("CT-JPEGLosslessSV1.dcm"));
        Path sr = dir.resolve("sr.dcm");
        StructuredReportWriter.write(ct, finding(), "2.25.1111", "2.25.2222", sr);

        DicomObject back = DicomReader.read(sr);
        assertThat(back.sopClassUid()).isEqualTo("1.2.840.10008.5.1.4.1.1.88.33");
        assertThat(back.sopInstanceUid()).isEqualTo("2.25.1111");
        assertThat(back.studyInstanceUid()).isEqualTo(ct.studyInstanceUid());
        assertThat(back.patientId()).isEqualTo(ct.patientId());
        assertThat(back.modality()).isEqualTo("SR");

        // dcmtk reads it as a valid SR document and sees the content tree.
        String tree = Commands.run("dsrdump", sr.toString());
        assertThat(tree).contains("Diagnostic imaging report").contains("Finding").contains("nodule")
                .contains("Probability of nodule").contains("0.7").contains("chest-ct").contains("Algorithm Version")
                .contains("Source of Measurement").doesNotContain("W: ");
        String dump = Commands.run("dcmdump", "+P", "0040,a375", "+P", "0008,1155", sr.toString());
        assertThat(dump).contains(ct.sopInstanceUid());
    }

    @Test
    void theScuDeliversToARealNodeAndReportsRefusal() throws Exception {
        DicomObject ct = DicomReader.read(Samples.file("CT-JPEGLosslessSV1.dcm"));
        Path sr = dir.resolve("sr.dcm");
        StructuredReportWriter.write(ct, finding(), "2.25.3333", "2.25.4444", sr);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> received = new CopyOnWriteArrayList<>();
        try (StorageScp scp = StorageScp.start("PACS", port, dir.resolve("in"), r -> {
            received.add(DicomReader.read(r.file()).sopInstanceUid() + "|" + r.callingAeTitle());
            Files.delete(r.file());
            return StoreResult.stored();
        }, Throwable::printStackTrace)) {
            StorageScu.send("127.0.0.1", port, "PACS", "MEDSSL", sr);
            assertThat(received).containsExactly("2.25.3333|MEDSSL");
            assertThatThrownBy(() -> StorageScu.send("127.0.0.1", port, "NOT_PACS", "MEDSSL", sr)).isInstanceOf(IOException.class);
        }
    }
}
