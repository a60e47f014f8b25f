package io.medssl.dicom;

import com.pixelmed.dicom.StoredFilePathStrategy;
import com.pixelmed.network.ReceivedObjectHandler;
import com.pixelmed.network.StorageSOPClassSCPDispatcher;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A DICOM storage node: answers C-ECHO and C-STORE for every storage SOP class on one called AE
 * title and port. The one place where the node is set up (AE, port, accepted presentation
 * contexts); what happens to each object is the {@link ReceivedInstanceHandler}'s business.
 *
 * <p>All transfer syntaxes are accepted, including ones MedSSL cannot decode (JPEG-LS): such an
 * object is still kept and indexed, only marked undecodable.
 */
public final class StorageScp implements AutoCloseable {
    private final StorageSOPClassSCPDispatcher dispatcher;
    private final Thread thread;
    private final int port;

    private StorageScp(StorageSOPClassSCPDispatcher dispatcher, int port) {
        this.dispatcher = dispatcher;
        this.port = port;
        this.thread = new Thread(dispatcher, "dicom-scp-" + port);
        this.thread.setDaemon(true);
    }

    /**
     * Starts listening and returns once the port accepts connections.
     *
     * @param incomingDir where PixelMed writes received objects before the handler runs
     * @param onError told about a handler failure (the handler must make the object durable or delete it)
     */
    public static StorageScp start(String aeTitle, int port, Path incomingDir, ReceivedInstanceHandler handler,
                                   Consumer<Throwable> onError) throws IOException {
        Files.createDirectories(incomingDir);
        ReceivedObjectHandler adapter = new ReceivedObjectHandler() {
            @Override
            public void sendReceivedObjectIndication(String fileName, String transferSyntax, String callingAeTitle) {
                try {
                    handler.onReceived(Path.of(fileName), callingAeTitle == null ? "" : callingAeTitle.trim(), transferSyntax);
                } catch (Throwable t) {
                    // PixelMed sends no C-STORE response at all if this throws; report and carry on.
                    onError.accept(t);
                }
            }
        };
        var dispatcher = new StorageSOPClassSCPDispatcher(port, aeTitle, new File(incomingDir.toString()),
                StoredFilePathStrategy.BYSOPINSTANCEUIDHASHSUBFOLDERS, adapter, null, null, null,
                new StorePresentationContextPolicy(), false);
        StorageScp scp = new StorageScp(dispatcher, port);
        scp.thread.start();
        scp.awaitListening();
        return scp;
    }

    private void awaitListening() throws IOException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!dispatcher.isReady()) {
            if (System.nanoTime() > deadline || !thread.isAlive()) {
                close();
                throw new IOException("DICOM port " + port + " did not open");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while opening DICOM port " + port);
            }
        }
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        dispatcher.shutdown();
        thread.interrupt();
    }
}
