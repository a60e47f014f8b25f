package io.medssl.dicom;

import com.pixelmed.dicom.SetOfDicomFiles;
import com.pixelmed.network.MultipleInstanceTransferStatusHandler;
import com.pixelmed.network.StorageSOPClassSCU;
import java.io.IOException;
import java.nio.file.Path;

/** Sends DICOM files to a remote node with C-STORE (the way results go back to a PACS). */
public final class StorageScu {
    private StorageScu() {
    }

    /** Sends one file; returns normally only if the remote node answered success (or a warning). */
    public static void send(String host, int port, String calledAeTitle, String callingAeTitle, Path file) throws IOException {
        SetOfDicomFiles files = new SetOfDicomFiles();
        files.add(file.toString());
        int[] counts = new int[2];
        MultipleInstanceTransferStatusHandler status = new MultipleInstanceTransferStatusHandler() {
            @Override
            public void updateStatus(int remaining, int completed, int failed, int warning, String sopInstanceUid) {
                counts[0] = completed + warning;
                counts[1] = failed;
            }
        };
        try {
            new StorageSOPClassSCU(host, port, calledAeTitle, callingAeTitle, files, 0, status);
        } catch (Exception e) {
            throw new IOException("C-STORE to " + calledAeTitle + "@" + host + ":" + port + " failed: " + DicomReader.describe(e), e);
        }
        if (counts[1] > 0 || counts[0] != 1) {
            throw new IOException("C-STORE to " + calledAeTitle + "@" + host + ":" + port + " was not accepted ("
                    + counts[0] + " stored, " + counts[1] + " failed)");
        }
    }
}
