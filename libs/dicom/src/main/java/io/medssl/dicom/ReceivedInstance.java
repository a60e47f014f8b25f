package io.medssl.dicom;

import java.nio.file.Path;

/**
 * One object a C-STORE delivered: the Part 10 file it was written to (named at random, never by
 * its UIDs), who sent it to which of our AE titles, the negotiated transfer syntax, and the SOP
 * class and instance the request named (the data set was checked to carry the same ones), and the
 * header as the association layer read it for that check ({@link DicomReader#readHeader}; null
 * when it could not be read: the handler reads the file and says what is wrong with it).
 */
public record ReceivedInstance(Path file, String callingAeTitle, String calledAeTitle, String transferSyntaxUid,
                               String sopClassUid, String sopInstanceUid, DicomObject header) {
}
