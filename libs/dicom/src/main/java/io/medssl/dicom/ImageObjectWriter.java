package io.medssl.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DateAttribute;
import com.pixelmed.dicom.DecimalStringAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.PersonNameAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.ShortStringAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TimeAttribute;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;
import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;

/**
 * Writes generated images as DICOM Part 10 files: {@link #writeCt} a {@link SyntheticImage} as CT,
 * {@link #writeSecondaryCapture} a {@link SecondaryCaptureImage} as 8-bit Secondary Capture.
 *
 * <p>CT: a CT Image Storage object (Part 10 file, explicit VR little endian). Pixels are stored
 * as 16-bit signed Hounsfield units (PixelRepresentation 1, rescale slope 1, intercept 0), so
 * stored value = HU and no reader has to guess an offset. The mandatory modules of the CT Image
 * IOD are filled with fixed, plausible acquisition values (a single axial slice at z = 0, head
 * first supine, 120 kVp) because nothing downstream depends on them but validators and viewers
 * expect them.
 */
public final class ImageObjectWriter {
    static final double SLICE_THICKNESS_MM = 5.0;
    /** (0018,0060) KVP: PixelMed's TagFromName spells it differently across versions, so by number. */
    private static final AttributeTag KVP = new AttributeTag(0x0018, 0x0060);
    private static final BigInteger UNSIGNED_64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private ImageObjectWriter() {
    }

    /** Writes {@code image} to {@code target}, replacing it. */
    public static void writeCt(SyntheticImage image, Path target) throws IOException {
        try {
            AttributeList list = new AttributeList();
            // SOP common
            put(list, new UniqueIdentifierAttribute(TagFromName.SOPClassUID), SOPClass.CTImageStorage);
            put(list, new UniqueIdentifierAttribute(TagFromName.SOPInstanceUID), image.sopInstanceUid());
            putPatientAndStudy(list, image.patientName(), image.patientId(), image.patientBirthDate(), image.patientSex(),
                    image.studyInstanceUid(), image.studyDate(), image.studyTime(), image.accessionNumber(), image.studyDescription());
            // General series
            put(list, new CodeStringAttribute(TagFromName.Modality), "CT");
            put(list, new UniqueIdentifierAttribute(TagFromName.SeriesInstanceUID), image.seriesInstanceUid());
            put(list, new IntegerStringAttribute(TagFromName.SeriesNumber), "1");
            put(list, new CodeStringAttribute(TagFromName.BodyPartExamined), "CHEST");
            put(list, new CodeStringAttribute(TagFromName.PatientPosition), "HFS");
            // Frame of reference: one per series, derived from the series UID so rewriting is stable.
            put(list, new UniqueIdentifierAttribute(TagFromName.FrameOfReferenceUID), derivedUid("FoR:" + image.seriesInstanceUid()));
            put(list, new LongStringAttribute(TagFromName.PositionReferenceIndicator));
            // General equipment
            put(list, new LongStringAttribute(TagFromName.Manufacturer), "MedSSL");
            put(list, new LongStringAttribute(TagFromName.ManufacturerModelName), "Synthetic phantom");
            // General image, image plane
            put(list, new IntegerStringAttribute(TagFromName.InstanceNumber), "1");
            put(list, new DateAttribute(TagFromName.ContentDate), image.studyDate());
            put(list, new TimeAttribute(TagFromName.ContentTime), image.studyTime());
            double spacing = image.pixelSpacingMm();
            put(list, new DecimalStringAttribute(TagFromName.PixelSpacing), ds(spacing), ds(spacing));
            put(list, new DecimalStringAttribute(TagFromName.ImageOrientationPatient), "1", "0", "0", "0", "1", "0");
            // Centre the slice on the isocentre: the first pixel's centre is half a field of view up and left.
            put(list, new DecimalStringAttribute(TagFromName.ImagePositionPatient),
                    ds(-(image.cols() - 1) * spacing / 2), ds(-(image.rows() - 1) * spacing / 2), "0");
            put(list, new DecimalStringAttribute(TagFromName.SliceThickness), ds(SLICE_THICKNESS_MM));
            put(list, new DecimalStringAttribute(TagFromName.SliceLocation), "0");
            // CT image, image pixel
            put(list, new CodeStringAttribute(TagFromName.ImageType), "ORIGINAL", "PRIMARY", "AXIAL");
            put(list, new DecimalStringAttribute(KVP), "120");
            put(list, new IntegerStringAttribute(TagFromName.AcquisitionNumber), "1");
            putShort(list, TagFromName.SamplesPerPixel, 1);
            put(list, new CodeStringAttribute(TagFromName.PhotometricInterpretation), "MONOCHROME2");
            putShort(list, TagFromName.Rows, image.rows());
            putShort(list, TagFromName.Columns, image.cols());
            putShort(list, TagFromName.BitsAllocated, 16);
            putShort(list, TagFromName.BitsStored, 16);
            putShort(list, TagFromName.HighBit, 15);
            putShort(list, TagFromName.PixelRepresentation, 1);
            put(list, new DecimalStringAttribute(TagFromName.RescaleIntercept), "0");
            put(list, new DecimalStringAttribute(TagFromName.RescaleSlope), "1");
            put(list, new LongStringAttribute(TagFromName.RescaleType), "HU");
            // VOI LUT: the window the labels were made visible in, which PixelDecoder applies.
            put(list, new DecimalStringAttribute(TagFromName.WindowCenter), ds(image.windowCenter()));
            put(list, new DecimalStringAttribute(TagFromName.WindowWidth), ds(image.windowWidth()));
            OtherWordAttribute pixels = new OtherWordAttribute(TagFromName.PixelData);
            pixels.setValues(Arrays.copyOf(image.hounsfield(), image.hounsfield().length));
            list.put(pixels);

            FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "MEDSSL");
            list.write(new File(target.toString()), TransferSyntax.ExplicitVRLittleEndian, true, true);
        } catch (DicomException e) {
            throw new IOException("could not build the CT image object: " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code image} to {@code target}, replacing it, as a Secondary Capture Image Storage
     * object (Part 10, explicit VR little endian): MONOCHROME2, 8 bits allocated and stored,
     * unsigned, no modality LUT (stored value = pixel value), the image's VOI window, conversion
     * type WSD (workstation). Pixel spacing is written as given (Basic Pixel Spacing Calibration
     * macro of the SC Image module); patient birth date and sex are written empty (Type 2).
     */
    public static void writeSecondaryCapture(SecondaryCaptureImage image, Path target) throws IOException {
        try {
            AttributeList list = new AttributeList();
            // SOP common
            put(list, new UniqueIdentifierAttribute(TagFromName.SOPClassUID), SOPClass.SecondaryCaptureImageStorage);
            put(list, new UniqueIdentifierAttribute(TagFromName.SOPInstanceUID), image.sopInstanceUid());
            // Patient birth date and sex are Type 2: present and empty.
            putPatientAndStudy(list, image.patientName(), image.patientId(), null, null, image.studyInstanceUid(),
                    image.studyDate(), image.studyTime(), image.accessionNumber(), image.studyDescription());
            // General series
            put(list, new CodeStringAttribute(TagFromName.Modality), image.modality());
            put(list, new UniqueIdentifierAttribute(TagFromName.SeriesInstanceUID), image.seriesInstanceUid());
            put(list, new IntegerStringAttribute(TagFromName.SeriesNumber), "1");
            // General equipment, SC equipment
            put(list, new LongStringAttribute(TagFromName.Manufacturer), "MedSSL");
            put(list, new CodeStringAttribute(TagFromName.ConversionType), "WSD");
            // General image (no patient orientation is known: Type 2C, present and empty)
            put(list, new IntegerStringAttribute(TagFromName.InstanceNumber), "1");
            put(list, new CodeStringAttribute(TagFromName.PatientOrientation));
            put(list, new DateAttribute(TagFromName.ContentDate), image.studyDate());
            put(list, new TimeAttribute(TagFromName.ContentTime), image.studyTime());
            put(list, new CodeStringAttribute(TagFromName.ImageType), "DERIVED", "SECONDARY");
            // SC image: the pixel spacing
            double spacing = image.pixelSpacingMm();
            put(list, new DecimalStringAttribute(TagFromName.PixelSpacing), ds(spacing), ds(spacing));
            // Image pixel
            putShort(list, TagFromName.SamplesPerPixel, 1);
            put(list, new CodeStringAttribute(TagFromName.PhotometricInterpretation), "MONOCHROME2");
            putShort(list, TagFromName.Rows, image.rows());
            putShort(list, TagFromName.Columns, image.cols());
            putShort(list, TagFromName.BitsAllocated, 8);
            putShort(list, TagFromName.BitsStored, 8);
            putShort(list, TagFromName.HighBit, 7);
            putShort(list, TagFromName.PixelRepresentation, 0);
            // VOI LUT
            put(list, new DecimalStringAttribute(TagFromName.WindowCenter), ds(image.windowCenter()));
            put(list, new DecimalStringAttribute(TagFromName.WindowWidth), ds(image.windowWidth()));
            OtherByteAttribute pixels = new OtherByteAttribute(TagFromName.PixelData);
            // OB values have even length: an odd pixel count gets one zero byte of padding.
            byte[] values = image.pixels();
            pixels.setValues(Arrays.copyOf(values, values.length + (values.length & 1)));
            list.put(pixels);

            FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "MEDSSL");
            list.write(new File(target.toString()), TransferSyntax.ExplicitVRLittleEndian, true, true);
        } catch (DicomException e) {
            throw new IOException("could not build the secondary capture object: " + e.getMessage(), e);
        }
    }

    /** The Patient and General Study modules, shared by every object this writer makes; null values are written empty. */
    private static void putPatientAndStudy(AttributeList list, String patientName, String patientId, String birthDate, String sex,
                                           String studyUid, String studyDate, String studyTime, String accession,
                                           String description) throws DicomException {
        put(list, new PersonNameAttribute(TagFromName.PatientName), patientName);
        put(list, new LongStringAttribute(TagFromName.PatientID), patientId);
        put(list, new DateAttribute(TagFromName.PatientBirthDate), birthDate);
        put(list, new CodeStringAttribute(TagFromName.PatientSex), sex);
        put(list, new UniqueIdentifierAttribute(TagFromName.StudyInstanceUID), studyUid);
        put(list, new DateAttribute(TagFromName.StudyDate), studyDate);
        put(list, new TimeAttribute(TagFromName.StudyTime), studyTime);
        put(list, new PersonNameAttribute(TagFromName.ReferringPhysicianName));
        put(list, new ShortStringAttribute(TagFromName.StudyID), "1");
        put(list, new ShortStringAttribute(TagFromName.AccessionNumber), accession);
        put(list, new LongStringAttribute(TagFromName.StudyDescription), description);
    }

    /**
     * A stable UID for a name: 2.25 followed by the decimal value of its name-based (MD5) UUID, at
     * most 44 characters (generators of test and import data derive their UIDs with it too).
     */
    public static String derivedUid(String name) {
        UUID uuid = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
        BigInteger high = BigInteger.valueOf(uuid.getMostSignificantBits()).and(UNSIGNED_64);
        BigInteger low = BigInteger.valueOf(uuid.getLeastSignificantBits()).and(UNSIGNED_64);
        return "2.25." + high.shiftLeft(64).or(low);
    }

    /** A DS value (at most 16 characters): plain notation, no trailing zeros. */
    static String ds(double value) {
        String s = new BigDecimal(value).round(new MathContext(10)).stripTrailingZeros().toPlainString();
        if (s.length() > 16) {
            s = new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros().toPlainString();
        }
        return s;
    }

    /** Puts the attribute with the given values; no (or only empty) values leave it present but empty (Type 2). */
    private static void put(AttributeList list, Attribute attribute, String... values) throws DicomException {
        for (String v : values) {
            if (v != null && !v.isEmpty()) {
                attribute.addValue(v);
            }
        }
        list.put(attribute);
    }

    private static void putShort(AttributeList list, AttributeTag tag, int value) throws DicomException {
        Attribute a = new UnsignedShortAttribute(tag);
        a.addValue(value);
        list.put(a);
    }
}
