package io.medssl.dicom;

import java.io.IOException;

/**
 * The object could not be de-identified or written de-identified (the toolkit refused its
 * content): a property of the object, unlike an {@link IOException} of the stream written to,
 * which {@link Deidentifier#writeDeidentified} passes on as it is (a full or failing disk is not
 * a reason to go on without the copy).
 */
public final class DeidentificationException extends IOException {
    public DeidentificationException(String message, Throwable cause) {
        super(message, cause);
    }
}
