package io.medssl.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.ClinicalTrialsAttributes;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.PersonNameAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Writes the PS3.15 de-identified copy of an object: PixelMed's Basic Application Level
 * Confidentiality Profile ({@link ClinicalTrialsAttributes}) with the site's options, then
 * MedSSL's keyed pseudonyms in place of the identifiers PixelMed would empty or remap on its own.
 * UIDs go through the caller's keyed mapping rather than PixelMed's remap table, which is
 * process-wide and random (the same study would get another UID after a restart); dates are
 * shifted by a per-patient number of days chosen by the caller, so intervals within a patient's
 * history survive (Retain Longitudinal Temporal Information with Modified Dates).
 */
public final class Deidentifier {
    private static final String STANDARD_UID_ROOT = "1.2.840.10008.";
    private static final DateTimeFormatter DICOM_DATE = DateTimeFormatter.BASIC_ISO_DATE;

    /**
     * The profile's options.
     *
     * @param retainModifiedDates dates shifted by the patient's offset (else removed, as the basic profile says)
     * @param retainPatientCharacteristics sex, age, size, weight kept (e.g. for SUV)
     * @param retainDeviceIdentity station name, serial numbers kept
     * @param retainInstitutionIdentity institution name and address kept
     * @param retainDescriptors study/series descriptions and protocol name kept (free text: off by default)
     */
    public record Options(boolean retainModifiedDates, boolean retainPatientCharacteristics, boolean retainDeviceIdentity,
                          boolean retainInstitutionIdentity, boolean retainDescriptors) {
    }

    /**
     * The object's pseudonyms.
     *
     * @param uid keyed mapping for every non-standard UID (study, series, instance, frame of reference, references)
     * @param patient what PatientID and PatientName become
     * @param dateShiftDays how many days every date moves back (same for all of a patient's objects)
     */
    public record Pseudonyms(UnaryOperator<String> uid, String patient, int dateShiftDays) {
    }

    private Deidentifier() {
    }

    /**
     * De-identifies {@code object} in place (its getters then answer pseudonyms) and writes it to
     * {@code target} as a Part 10 stream (left open): explicit VR little endian when its pixels were
     * decompressed on reading, else in its own transfer syntax. Throws
     * {@link DeidentificationException} when the object cannot be de-identified, and the
     * stream's own {@link IOException} when writing to it fails.
     */
    public static void writeDeidentified(DicomObject object, Options options, Pseudonyms pseudonyms, OutputStream target)
            throws IOException {
        AttributeList list = object.list;
        try {
            String transferSyntax = object.pixelDecodeError == null || !object.hasPixelData()
                    ? TransferSyntax.ExplicitVRLittleEndian : object.transferSyntaxUid();
            Date studyDate = parseDate(Attribute.getSingleStringValueOrEmptyString(list, TagFromName.StudyDate));
            boolean shiftDates = options.retainModifiedDates() && studyDate != null;
            int handleDates = shiftDates ? ClinicalTrialsAttributes.HandleDates.modify
                    : ClinicalTrialsAttributes.HandleDates.remove;
            Date epoch = shiftDates ? Date.from(studyDate.toInstant().minusSeconds(86_400L * pseudonyms.dateShiftDays())) : null;

            list.removeGroupLengthAttributes();
            list.removeMetaInformationHeaderAttributes();
            ClinicalTrialsAttributes.removeOrNullIdentifyingAttributes(list, ClinicalTrialsAttributes.HandleUIDs.keep,
                    options.retainDescriptors(), options.retainDescriptors(), options.retainDescriptors(),
                    options.retainPatientCharacteristics(), options.retainDeviceIdentity(), options.retainInstitutionIdentity(),
                    handleDates, epoch, studyDate, ClinicalTrialsAttributes.HandleStructuredContent.modify);
            list.removeUnsafePrivateAttributes();
            remapUids(list, pseudonyms.uid());
            replace(list, new LongStringAttribute(TagFromName.PatientID), pseudonyms.patient());
            replace(list, new PersonNameAttribute(TagFromName.PatientName), pseudonyms.patient());
            replace(list, new CodeStringAttribute(TagFromName.LongitudinalTemporalInformationModified),
                    shiftDates ? "MODIFIED" : "REMOVED");
            withoutRetainUidsCode(list);
            FileMetaInformation.addFileMetaInformation(list, transferSyntax, "MEDSSL");
            // PixelMed closes the stream it writes to; the caller owns it (e.g. to fsync it after).
            list.write(new FilterOutputStream(target) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    flush();
                }
            }, transferSyntax, true, true);
        } catch (DicomException | RuntimeException e) {
            throw new DeidentificationException("could not de-identify the object: " + e.getMessage(), e);
        }
    }

    /** Every UI value outside the standard's own root (SOP classes, transfer syntaxes, coding schemes). */
    private static void remapUids(AttributeList list, UnaryOperator<String> uid) throws DicomException {
        for (Attribute attribute : new ArrayList<>(list.values())) {
            if (attribute instanceof SequenceAttribute sequence) {
                for (int i = 0; i < sequence.getNumberOfItems(); i++) {
                    SequenceItem item = sequence.getItem(i);
                    remapUids(item.getAttributeList(), uid);
                }
            } else if (attribute instanceof UniqueIdentifierAttribute) {
                String[] values = attribute.getStringValues();
                if (values == null || values.length == 0) {
                    continue;
                }
                List<String> mapped = new ArrayList<>(values.length);
                boolean changed = false;
                for (String value : values) {
                    String v = value.trim();
                    String m = v.isEmpty() || v.startsWith(STANDARD_UID_ROOT) ? v : uid.apply(v);
                    changed |= !m.equals(v);
                    mapped.add(m);
                }
                if (changed) {
                    AttributeTag tag = attribute.getTag();
                    UniqueIdentifierAttribute replacement = new UniqueIdentifierAttribute(tag);
                    for (String m : mapped) {
                        replacement.addValue(m);
                    }
                    list.put(tag, replacement);
                }
            }
        }
    }

    /**
     * PixelMed records "Retain UIDs Option" (DCM 113110) because it was asked to keep them; they
     * were replaced by our mapping afterwards, so that claim must go.
     */
    private static void withoutRetainUidsCode(AttributeList list) {
        if (list.get(TagFromName.DeidentificationMethodCodeSequence) instanceof SequenceAttribute methods) {
            List<SequenceItem> retainUids = new ArrayList<>();
            for (int i = 0; i < methods.getNumberOfItems(); i++) {
                SequenceItem item = methods.getItem(i);
                if ("113110".equals(Attribute.getSingleStringValueOrEmptyString(item.getAttributeList(), TagFromName.CodeValue))) {
                    retainUids.add(item);
                }
            }
            retainUids.forEach(methods::remove);
        }
    }

    private static void replace(AttributeList list, Attribute attribute, String value) throws DicomException {
        attribute.addValue(value);
        list.put(attribute.getTag(), attribute);
    }

    private static Date parseDate(String value) {
        String v = value == null ? "" : value.trim();
        if (v.length() != 8) {
            return null;
        }
        try {
            return Date.from(LocalDate.parse(v, DICOM_DATE).atStartOfDay(ZoneId.systemDefault()).toInstant());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
