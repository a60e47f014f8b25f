package io.medssl.dicom;

import java.nio.file.Path;

/**
 * What a service does with each object a C-STORE delivered. Called after the object is in a file
 * and before the C-STORE response is sent, so the service can make it durable and index it first.
 * The file is the handler's to move or delete.
 */
@FunctionalInterface
public interface ReceivedInstanceHandler {
    void onReceived(Path file, String callingAeTitle, String transferSyntaxUid) throws Exception;
}
