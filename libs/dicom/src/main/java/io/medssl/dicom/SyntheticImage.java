package io.medssl.dicom;

import java.util.Objects;

/**
 * One single-frame CT slice to be written as a DICOM object by {@link ImageObjectWriter}: the
 * patient, study and series identity, and the pixels in Hounsfield units. A plain record so that
 * generators (libs/phantom) need no PixelMed type and libs/dicom needs no generator.
 *
 * @param patientBirthDate DICOM DA, yyyyMMdd
 * @param patientSex       M, F or O
 * @param studyDate        DICOM DA, yyyyMMdd
 * @param studyTime        DICOM TM, HHmmss
 * @param hounsfield       rows × cols, row-major
 * @param pixelSpacingMm   square pixels: the same spacing between rows and between columns
 */
public record SyntheticImage(
        String patientName,
        String patientId,
        String patientBirthDate,
        String patientSex,
        String studyInstanceUid,
        String seriesInstanceUid,
        String sopInstanceUid,
        String accessionNumber,
        String studyDate,
        String studyTime,
        String studyDescription,
        int rows,
        int cols,
        short[] hounsfield,
        double pixelSpacingMm,
        double windowCenter,
        double windowWidth) {

    public SyntheticImage {
        Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
        Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
        if (rows <= 0 || cols <= 0 || rows > 65535 || cols > 65535 || hounsfield.length != rows * cols) {
            throw new IllegalArgumentException("bad image geometry " + rows + "x" + cols + " for " + hounsfield.length + " pixels");
        }
        if (!(pixelSpacingMm > 0) || !(windowWidth >= 1)) {
            throw new IllegalArgumentException("pixel spacing must be > 0 and window width >= 1");
        }
        // The object is written without SpecificCharacterSet, i.e. in the default repertoire.
        for (String text : new String[] {patientName, patientId, patientBirthDate, patientSex, accessionNumber, studyDate,
            studyTime, studyDescription}) {
            if (text != null && !text.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f)) {
                throw new IllegalArgumentException("text values must be printable ASCII: '" + text + "'");
            }
        }
    }
}
