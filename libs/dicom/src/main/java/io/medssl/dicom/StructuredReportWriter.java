package io.medssl.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.CodedSequenceItem;
import com.pixelmed.dicom.ContentItem;
import com.pixelmed.dicom.ContentItemFactory;
import com.pixelmed.dicom.DateAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.StructuredReport;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TimeAttribute;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * Writes a model's finding as a Comprehensive SR in the source image's study, for the PACS: the
 * patient and study modules copied from the (original, identified) source object, a content tree
 * with the finding (CODE), each class probability (NUM, UCUM "1"), the algorithm name and version
 * (TEXT, DCM 111001/111003) and the source image (IMAGE, DCM 121112), and the source instance in
 * the evidence sequence.
 */
public final class StructuredReportWriter {
    /** Codes for model labels, in a private coding scheme (PS3.16 8.2 allows "99" prefixed ones). */
    static final String SCHEME = "99MEDSSL";
    private static final AttributeTag[] COPIED = {
        TagFromName.PatientName, TagFromName.PatientID, TagFromName.IssuerOfPatientID, TagFromName.PatientBirthDate,
        TagFromName.PatientSex, TagFromName.StudyInstanceUID, TagFromName.StudyDate, TagFromName.StudyTime,
        TagFromName.ReferringPhysicianName, TagFromName.StudyID, TagFromName.AccessionNumber, TagFromName.StudyDescription,
    };

    private StructuredReportWriter() {
    }

    /** Writes the SR for {@code source} to {@code target} (explicit VR little endian, Part 10). */
    public static void write(DicomObject source, ModelFinding finding, String srInstanceUid, String srSeriesUid, Path target)
            throws IOException {
        try {
            ContentItemFactory f = new ContentItemFactory();
            ContentItem root = f.makeContainerContentItem(null, null,
                    new CodedSequenceItem("18748-4", "LN", "Diagnostic imaging report"), true);
            f.makeCodeContentItem(root, "CONTAINS", new CodedSequenceItem("121071", "DCM", "Finding"),
                    new CodedSequenceItem(code(finding.finding()), SCHEME, finding.finding()));
            for (Map.Entry<String, Double> p : finding.probabilities().entrySet()) {
                f.makeNumericContentItem(root, "CONTAINS",
                        new CodedSequenceItem(code(p.getKey()), SCHEME, "Probability of " + p.getKey()),
                        p.getValue(), new CodedSequenceItem("1", "UCUM", "no units"));
            }
            f.makeTextContentItem(root, "CONTAINS", new CodedSequenceItem("111001", "DCM", "Algorithm Name"), finding.modelName());
            f.makeTextContentItem(root, "CONTAINS", new CodedSequenceItem("111003", "DCM", "Algorithm Version"),
                    String.valueOf(finding.modelVersion()));
            f.makeImageContentItem(root, "CONTAINS", new CodedSequenceItem("121112", "DCM", "Source of Measurement"),
                    source.sopClassUid(), source.sopInstanceUid(), 0, 0, null, null, null, null);
            AttributeList sr = new StructuredReport(root).getAttributeList();

            for (AttributeTag tag : COPIED) {
                Attribute a = source.list.get(tag);
                if (a != null) {
                    sr.put(a);
                } else if (tag != TagFromName.IssuerOfPatientID && tag != TagFromName.StudyDescription) {
                    sr.putNewAttribute(tag); // Type 2 in the patient and study modules: present, empty
                }
            }
            put(sr, new UniqueIdentifierAttribute(TagFromName.SOPClassUID), SOPClass.ComprehensiveSRStorage);
            put(sr, new UniqueIdentifierAttribute(TagFromName.SOPInstanceUID), srInstanceUid);
            put(sr, new UniqueIdentifierAttribute(TagFromName.SeriesInstanceUID), srSeriesUid);
            put(sr, new CodeStringAttribute(TagFromName.Modality), "SR");
            put(sr, new IntegerStringAttribute(TagFromName.SeriesNumber), "9001");
            put(sr, new IntegerStringAttribute(TagFromName.InstanceNumber), "1");
            put(sr, new LongStringAttribute(TagFromName.Manufacturer), "MedSSL");
            put(sr, new CodeStringAttribute(TagFromName.CompletionFlag), "COMPLETE");
            put(sr, new CodeStringAttribute(TagFromName.VerificationFlag), "UNVERIFIED");
            LocalDateTime now = LocalDateTime.now();
            put(sr, new DateAttribute(TagFromName.ContentDate), now.format(DateTimeFormatter.BASIC_ISO_DATE));
            put(sr, new TimeAttribute(TagFromName.ContentTime), now.format(DateTimeFormatter.ofPattern("HHmmss")));
            sr.put(new SequenceAttribute(TagFromName.ReferencedPerformedProcedureStepSequence));
            sr.put(new SequenceAttribute(TagFromName.PerformedProcedureCodeSequence));
            sr.put(evidence(source));

            FileMetaInformation.addFileMetaInformation(sr, TransferSyntax.ExplicitVRLittleEndian, "MEDSSL");
            sr.write(new File(target.toString()), TransferSyntax.ExplicitVRLittleEndian, true, true);
        } catch (DicomException e) {
            throw new IOException("could not build the DICOM SR: " + e.getMessage(), e);
        }
    }

    /** CurrentRequestedProcedureEvidenceSequence: study → series → the source instance. */
    private static SequenceAttribute evidence(DicomObject source) throws DicomException {
        AttributeList instance = new AttributeList();
        put(instance, new UniqueIdentifierAttribute(TagFromName.ReferencedSOPClassUID), source.sopClassUid());
        put(instance, new UniqueIdentifierAttribute(TagFromName.ReferencedSOPInstanceUID), source.sopInstanceUid());
        SequenceAttribute instances = new SequenceAttribute(TagFromName.ReferencedSOPSequence);
        instances.addItem(instance);
        AttributeList series = new AttributeList();
        put(series, new UniqueIdentifierAttribute(TagFromName.SeriesInstanceUID), source.seriesInstanceUid());
        series.put(instances);
        SequenceAttribute seriesSequence = new SequenceAttribute(TagFromName.ReferencedSeriesSequence);
        seriesSequence.addItem(series);
        AttributeList study = new AttributeList();
        put(study, new UniqueIdentifierAttribute(TagFromName.StudyInstanceUID), source.studyInstanceUid());
        study.put(seriesSequence);
        SequenceAttribute evidence = new SequenceAttribute(TagFromName.CurrentRequestedProcedureEvidenceSequence);
        evidence.addItem(study);
        return evidence;
    }

    private static void put(AttributeList list, Attribute attribute, String value) throws DicomException {
        attribute.addValue(value);
        list.put(attribute);
    }

    /** A code value (SH, at most 16 characters) for a label. */
    static String code(String label) {
        String upper = label.toUpperCase().replaceAll("[^A-Z0-9]", "");
        return upper.isEmpty() ? "UNKNOWN" : upper.substring(0, Math.min(16, upper.length()));
    }
}
