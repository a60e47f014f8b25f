package io.medssl.dicom;

/** A valid DICOM object whose pixels cannot be turned into an image (unsupported codec, no pixel data, ...). */
public final class UndecodableImageException extends Exception {
    public UndecodableImageException(String message) {
        super(message);
    }

    public UndecodableImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
