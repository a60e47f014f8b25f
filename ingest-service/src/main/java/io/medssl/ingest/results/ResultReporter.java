package io.medssl.ingest.results;

import io.medssl.contracts.InferenceResult;
import io.medssl.dicom.DicomObject;
import io.medssl.dicom.DicomReader;
import io.medssl.dicom.ModelFinding;
import io.medssl.dicom.StorageScu;
import io.medssl.dicom.StructuredReportWriter;
import io.medssl.ingest.config.IngestConfig;
import io.medssl.ingest.deid.Pseudonymizer;
import io.medssl.ingest.service.InstanceKeys;
import io.medssl.storage.BlobStore;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * medssl.inference-results → DICOM SR → the configured PACS. Only ingest can do this: it alone
 * holds the original objects (the pseudonym map), so the report is re-identified here, filed in
 * the source study and referencing the source image by its original UIDs. The SR's UIDs derive
 * from (instance, model, version), so a redelivered result produces the same SR, which a PACS
 * treats as a resend. Every SR is also kept under {@code ingest/reports/}.
 */
@ApplicationScoped
public class ResultReporter {
    private static final Logger LOG = Logger.getLogger(ResultReporter.class);

    private final IngestConfig config;
    private final BlobStore store;
    private final Pseudonymizer uids;

    public ResultReporter(IngestConfig config, BlobStore store, Pseudonymizer uids) {
        this.config = config;
        this.store = store;
        this.uids = uids;
    }

    @Incoming("results-in")
    @Blocking
    public void consume(InferenceResult result) throws Exception {
        if (result == null) {
            LOG.warn("skipped a record on medssl.inference-results that is not a valid InferenceResult");
            return;
        }
        if (!config.results().enabled()) {
            return;
        }
        // A pseudonym is digits and dots: anything else is not ours, and must not become a path.
        String originalKey = result.instanceId().matches("[0-9.]+") ? InstanceKeys.storedOriginal(store, result.instanceId()) : null;
        if (originalKey == null || !store.exists(originalKey)) {
            LOG.warnf("result for unknown instance %s from %s v%d: no report", result.instanceId(), result.model(), result.version());
            return;
        }
        DicomObject original = DicomReader.read(store.localPath(originalKey));
        String srUid = uids.uid("sr|" + result.instanceId() + "|" + result.model() + "|" + result.version());
        String seriesUid = uids.uid("sr-series|" + result.studyId() + "|" + result.model() + "|" + result.version());
        Path reports = store.localPath("ingest/reports");
        Files.createDirectories(reports);
        Path tmp = Files.createTempFile(reports, ".sr-", ".part");
        String reportKey = "ingest/reports/" + srUid + ".dcm";
        try {
            StructuredReportWriter.write(original, new ModelFinding(result.model(), result.version(), result.probabilities(),
                    result.finding()), srUid, seriesUid, tmp);
            store.putFile(reportKey, tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
        var d = config.results();
        try {
            StorageScu.send(d.host(), d.port(), d.aeTitle(), config.dicom().aeTitle(), store.localPath(reportKey));
            LOG.infof("sent SR %s (%s v%d: %s) for instance %s to %s@%s:%d", srUid, result.model(), result.version(),
                    result.finding(), result.instanceId(), d.aeTitle(), d.host(), d.port());
        } catch (java.io.IOException e) {
            // The report is kept in storage; the failure is logged for an operator (no automatic resend yet).
            LOG.errorf("SR %s for instance %s kept at %s but not delivered: %s", srUid, result.instanceId(), reportKey, e.getMessage());
        }
    }
}
