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
        ImageValues.requireGeometry(rows, cols, hounsfield.length);
        if (!(pixelSpacingMm > 0) || !(windowWidth >= 1)) {
            throw new IllegalArgumentException("pixel spacing must be > 0 and window width >= 1");
        }
        ImageValues.requirePrintableAscii(patientName, patientId, patientBirthDate, patientSex, accessionNumber, studyDate,
                studyTime, studyDescription);
    }
}
