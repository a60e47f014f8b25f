package io.medssl.dicom;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One object a C-STORE delivered: its bytes ({@link IncomingObject}: in memory, or in a file named
 * at random, never by its UIDs, when large), who sent it to which of our AE titles, the negotiated
 * transfer syntax, and the SOP class and instance the request named (the data set was checked to
 * carry the same ones), and the header as the association layer read it for that check
 * ({@link DicomReader#readHeader}; null when it could not be read: the handler reads the object
 * and says what is wrong with it).
 */
public record ReceivedInstance(IncomingObject object, String callingAeTitle, String calledAeTitle, String transferSyntaxUid,
                               String sopClassUid, String sopInstanceUid, DicomObject header) {

    /** The object as a file, for handlers that need one (see {@link IncomingObject#file()}). */
    public Path file() throws IOException {
        return object.file();
    }
}
