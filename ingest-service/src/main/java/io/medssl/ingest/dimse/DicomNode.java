package io.medssl.ingest.dimse;

import io.medssl.dicom.ReceivedInstance;
import io.medssl.dicom.StorageScp;
import io.medssl.dicom.StoreResult;
import io.medssl.ingest.config.IngestConfig;
import io.medssl.ingest.service.IngestService;
import io.medssl.ingest.service.InstanceProcessor;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The DICOM node (C-ECHO, C-STORE SCP) on {@code medssl.dicom.ae-title} / {@code port}. Received
 * objects land in {@code ingest/incoming} inside the storage root and are accepted by
 * {@link IngestService} into the dataset their AE titles map to before the response is sent: the
 * sender gets Success only for an object whose header checked out, whose bytes are fsync'ed in
 * the accept journal and which is indexed (from its header), else the failure status
 * IngestService names (0xA700, 0xA900, 0xC000) with its reason as Error Comment. Moving it into
 * storage, decoding, the de-identified copy, completing its index row and the announcement follow
 * in the background ({@link InstanceProcessor}), so a modality's association is never held up by
 * them.
 */
@ApplicationScoped
public class DicomNode {
    private static final Logger LOG = Logger.getLogger(DicomNode.class);

    private final IngestConfig config;
    private final IngestService ingest;
    private final InstanceProcessor processor;
    private volatile StorageScp scp;
    private volatile DatasetRouting routing;

    public DicomNode(IngestConfig config, IngestService ingest, InstanceProcessor processor) {
        this.config = config;
        this.ingest = ingest;
        this.processor = processor;
    }

    void start(@Observes StartupEvent event) throws IOException {
        IngestConfig.Dicom dicom = config.dicom();
        // Checked even with the node off: STOW-RS files under the default dataset.
        routing = new DatasetRouting(dicom.calledAeDatasets(), dicom.datasets(), config.dataset());
        if (!dicom.enabled()) {
            LOG.info("DICOM node disabled (medssl.dicom.enabled=false)");
            return;
        }
        Set<String> calledAeTitles = new LinkedHashSet<>();
        calledAeTitles.add(dicom.aeTitle());
        calledAeTitles.addAll(dicom.calledAeDatasets().keySet());
        Set<String> allowed = dicom.allowedCallingAeTitles().orElse(Set.of());
        StorageScp.Settings settings = new StorageScp.Settings(dicom.host(), dicom.port(), calledAeTitles, allowed,
                dicom.maxAssociations(), dicom.idleTimeout());
        for (String mapped : dicom.datasets().keySet()) {
            if (!allowed.isEmpty() && !allowed.contains(mapped.strip())) {
                LOG.warnf("medssl.dicom.datasets maps calling AE %s, which is not in medssl.dicom.allowed-calling-ae-titles:"
                        + " its associations will be rejected", mapped);
            }
        }
        scp = StorageScp.start(settings, config.storage().root().resolve("ingest/incoming"), this::store,
                // No stack trace: it can quote the incoming file's path.
                failure -> LOG.errorf("DICOM handler failed: %s", failure.getClass().getSimpleName()));
        LOG.infof("DICOM node %s listening on %s:%d (at most %d associations, %s; calling AE titles: %s; datasets by"
                        + " called AE %s, by calling AE %s, else %s)", calledAeTitles, dicom.host(), scp.port(),
                dicom.maxAssociations(), "idle timeout " + dicom.idleTimeout().toSeconds() + " s",
                allowed.isEmpty() ? "any" : allowed, routing.byCalledAe(), routing.byCallingAe(), routing.defaultDataset());
    }

    /** The C-STORE status is IngestService's verdict on the object. */
    StoreResult store(ReceivedInstance received) {
        String dataset = routing.datasetFor(received.callingAeTitle(), received.calledAeTitle());
        IngestService.Outcome outcome = ingest.acceptJournaled(received.object(), received.header(), received.callingAeTitle(), dataset);
        // Journaled is processed, even when the answer is a failure (the index refused its row).
        if (outcome.journaled() != null) {
            processor.submit(outcome.journaled());
        }
        if (outcome.stored()) {
            return StoreResult.stored();
        }
        int status = outcome.failure() == null ? StoreResult.OUT_OF_RESOURCES : outcome.failure().code();
        return StoreResult.failed(status, outcome.error());
    }

    /** Before the processor stops (its default priority is later), so no object arrives that it can no longer take. */
    void stop(@Observes @Priority(Interceptor.Priority.APPLICATION) ShutdownEvent event) {
        if (scp != null) {
            scp.close();
        }
    }

    public boolean listening() {
        StorageScp s = scp;
        return s != null && s.isListening();
    }

    /** Associations being served now; 0 when the node is off. */
    public int activeAssociations() {
        StorageScp s = scp;
        return s == null ? 0 : s.activeAssociations();
    }
}
