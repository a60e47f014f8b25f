package io.medssl.dicom;

/** Checks the writer's input records share: what they describe must fit a DICOM image object. */
final class ImageValues {
    private ImageValues() {
    }

    /** Rows and columns in the US range, and exactly one value per pixel. */
    static void requireGeometry(int rows, int cols, int pixelCount) {
        if (rows <= 0 || cols <= 0 || rows > 65535 || cols > 65535 || pixelCount != (long) rows * cols) {
            throw new IllegalArgumentException("bad image geometry " + rows + "x" + cols + " for " + pixelCount + " pixels");
        }
    }

    /** Objects are written without SpecificCharacterSet, i.e. in the default repertoire: printable ASCII (nulls allowed). */
    static void requirePrintableAscii(String... texts) {
        for (String text : texts) {
            if (text != null && !text.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f)) {
                throw new IllegalArgumentException("text values must be printable ASCII: '" + text + "'");
            }
        }
    }
}
