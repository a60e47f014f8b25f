package io.medssl.dicom;

import java.util.Objects;

/**
 * One single-frame 8-bit grayscale image to be written as a Secondary Capture object by
 * {@link ImageObjectWriter#writeSecondaryCapture}: for images that were not acquired as CT (photos,
 * radiographs, microscopy, images from public data sets) and carry no physical units. Like
 * {@link SyntheticImage}, a plain record so that generators need no PixelMed type.
 *
 * <p>Patient birth date and sex are written empty (unknown); so are the study date and time when
 * null.
 *
 * @param studyDate        DICOM DA, yyyyMMdd, or null
 * @param studyTime        DICOM TM, HHmmss, or null
 * @param modality         DICOM Modality (CS), e.g. {@code OT} (other)
 * @param pixels           rows × cols unsigned 8-bit stored values, row-major; MONOCHROME2 (0 is black)
 * @param pixelSpacingMm   square pixels: the same (nominal) spacing between rows and between columns
 * @param windowCenter     the VOI window a reader maps to [0, 1], in stored values
 */
public record SecondaryCaptureImage(
        String patientName,
        String patientId,
        String studyInstanceUid,
        String seriesInstanceUid,
        String sopInstanceUid,
        String accessionNumber,
        String studyDate,
        String studyTime,
        String studyDescription,
        String modality,
        int rows,
        int cols,
        byte[] pixels,
        double pixelSpacingMm,
        double windowCenter,
        double windowWidth) {

    public SecondaryCaptureImage {
        Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
        Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
        Objects.requireNonNull(pixels, "pixels");
        ImageValues.requireGeometry(rows, cols, pixels.length);
        if (!(pixelSpacingMm > 0) || !(windowWidth >= 1) || !Double.isFinite(windowCenter)) {
            throw new IllegalArgumentException("pixel spacing must be > 0, window width >= 1 and window center finite");
        }
        if (modality == null || !modality.matches("[A-Z0-9_ ]{1,16}")) {
            throw new IllegalArgumentException("modality must be a DICOM code string such as OT: '" + modality + "'");
        }
        ImageValues.requirePrintableAscii(patientName, patientId, accessionNumber, studyDate, studyTime, studyDescription);
    }
}
