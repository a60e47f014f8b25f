package io.medssl.dicom;

/** The input is not a usable DICOM object (not DICOM, truncated, or missing required identifiers). */
public final class InvalidDicomException extends Exception {
    public InvalidDicomException(String message) {
        super(message);
    }

    public InvalidDicomException(String message, Throwable cause) {
        super(message, cause);
    }
}
