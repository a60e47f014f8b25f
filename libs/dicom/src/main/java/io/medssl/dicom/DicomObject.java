package io.medssl.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;

/**
 * A parsed DICOM object. Wraps PixelMed's attribute list so that no PixelMed type leaves this
 * module; callers read the few attributes MedSSL needs through named getters. Identifying
 * attributes (patient, study UIDs) are only meant for ingest-service, which pseudonymises them.
 */
public final class DicomObject {
    final AttributeList list;
    /** Why the pixel data could not be decompressed while reading, or null. */
    final String pixelDecodeError;

    DicomObject(AttributeList list, String pixelDecodeError) {
        this.list = list;
        this.pixelDecodeError = pixelDecodeError;
    }

    private String string(AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(list, tag).trim();
    }

    private int integer(AttributeTag tag, int dflt) {
        return Attribute.getSingleIntegerValueOrDefault(list, tag, dflt);
    }

    public String sopClassUid() {
        return string(TagFromName.SOPClassUID);
    }

    public String sopInstanceUid() {
        return string(TagFromName.SOPInstanceUID);
    }

    public String studyInstanceUid() {
        return string(TagFromName.StudyInstanceUID);
    }

    public String seriesInstanceUid() {
        return string(TagFromName.SeriesInstanceUID);
    }

    public String patientId() {
        return string(TagFromName.PatientID);
    }

    public String patientName() {
        return string(TagFromName.PatientName);
    }

    public String accessionNumber() {
        return string(TagFromName.AccessionNumber);
    }

    public String modality() {
        return string(TagFromName.Modality);
    }

    public String bodyPartExamined() {
        return string(TagFromName.BodyPartExamined);
    }

    public String transferSyntaxUid() {
        return string(TagFromName.TransferSyntaxUID);
    }

    public String photometricInterpretation() {
        return string(TagFromName.PhotometricInterpretation);
    }

    public int rows() {
        return integer(TagFromName.Rows, 0);
    }

    public int columns() {
        return integer(TagFromName.Columns, 0);
    }

    public int frames() {
        return Math.max(1, integer(TagFromName.NumberOfFrames, 1));
    }

    /**
     * Whether the object says its pixels carry burned-in text (BurnedInAnnotation = YES), which
     * may be patient-identifying: such pixels must not leave the PHI boundary.
     */
    public boolean burnedInAnnotation() {
        return "YES".equalsIgnoreCase(string(TagFromName.BurnedInAnnotation));
    }

    public boolean hasPixelData() {
        return list.getPixelData() != null;
    }

    /** Number of attributes parsed: 0 for an empty or non-DICOM stream. */
    public int attributeCount() {
        return list.size();
    }
}
