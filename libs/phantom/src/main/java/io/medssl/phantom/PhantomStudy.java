package io.medssl.phantom;

import java.util.Objects;

/**
 * One synthetic patient with one CT study of one series of one slice, and its label. Identifiers
 * look real (names, IDs, birth dates) so that de-identification has something to remove.
 * Note that, as for any record holding an array, equals compares {@code hounsfield} by reference.
 *
 * @param patientName      DICOM PN, e.g. {@code PHANTOM^ALICE7}
 * @param patientBirthDate yyyyMMdd
 * @param patientSex       M or F
 * @param studyDate        yyyyMMdd
 * @param studyTime        HHmmss
 * @param hounsfield       rows × cols, row-major, in HU
 * @param pixelSpacingMm   square pixels
 * @param renderSeed       the seed {@link ChestPhantom} rendered the slice from
 */
public record PhantomStudy(
        String patientName,
        String patientId,
        String patientBirthDate,
        String patientSex,
        String studyInstanceUid,
        String accessionNumber,
        String seriesInstanceUid,
        String sopInstanceUid,
        String studyDate,
        String studyTime,
        PhantomClass label,
        int rows,
        int cols,
        short[] hounsfield,
        double pixelSpacingMm,
        long renderSeed) {

    public PhantomStudy {
        Objects.requireNonNull(label, "label");
        if (rows <= 0 || cols <= 0 || hounsfield.length != rows * cols) {
            throw new IllegalArgumentException("bad image geometry " + rows + "x" + cols + " for " + hounsfield.length + " pixels");
        }
    }

    /** Renders the slice again with its lung and finding masks (same pixels as {@link #hounsfield}). */
    public PhantomSlice groundTruth() {
        return ChestPhantom.render(renderSeed, label, rows, cols);
    }
}
