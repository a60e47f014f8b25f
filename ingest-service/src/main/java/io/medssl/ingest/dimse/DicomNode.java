package io.medssl.ingest.dimse;

import io.medssl.dicom.StorageScp;
import io.medssl.ingest.config.IngestConfig;
import io.medssl.ingest.service.IngestService;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import org.jboss.logging.Logger;

/**
 * The DICOM node (C-ECHO, C-STORE SCP) on {@code medssl.dicom.ae-title} / {@code port}. Received
 * objects land in {@code ingest/incoming} inside the storage root (same file system, so the move
 * into storage is an atomic rename) and go to {@link IngestService} before the response is sent.
 */
@ApplicationScoped
public class DicomNode {
    private static final Logger LOG = Logger.getLogger(DicomNode.class);

    private final IngestConfig config;
    private final IngestService ingest;
    private volatile StorageScp scp;

    public DicomNode(IngestConfig config, IngestService ingest) {
        this.config = config;
        this.ingest = ingest;
    }

    void start(@Observes StartupEvent event) throws IOException {
        if (!config.dicom().enabled()) {
            LOG.info("DICOM node disabled (medssl.dicom.enabled=false)");
            return;
        }
        scp = StorageScp.start(config.dicom().aeTitle(), config.dicom().port(),
                config.storage().root().resolve("ingest/incoming"),
                (file, callingAe, transferSyntax) -> ingest.ingest(file, callingAe),
                // No stack trace: it can quote the incoming file's path, named by the original UID.
                failure -> LOG.errorf("DICOM handler failed: %s", failure.getClass().getSimpleName()));
        LOG.infof("DICOM node %s listening on port %d", config.dicom().aeTitle(), config.dicom().port());
    }

    void stop(@Observes ShutdownEvent event) {
        if (scp != null) {
            scp.close();
        }
    }

    public boolean listening() {
        return scp != null;
    }
}
