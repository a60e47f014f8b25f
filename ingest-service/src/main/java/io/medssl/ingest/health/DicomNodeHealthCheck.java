package io.medssl.ingest.health;

import io.medssl.ingest.config.IngestConfig;
import io.medssl.ingest.dimse.DicomNode;
import io.medssl.ingest.service.InstanceProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

@Readiness
@ApplicationScoped
public class DicomNodeHealthCheck implements HealthCheck {
    private final DicomNode node;
    private final IngestConfig config;
    private final InstanceProcessor processor;

    public DicomNodeHealthCheck(DicomNode node, IngestConfig config, InstanceProcessor processor) {
        this.node = node;
        this.config = config;
        this.processor = processor;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("dicom-node")
                .status(!config.dicom().enabled() || node.listening())
                .withData("aeTitle", config.dicom().aeTitle())
                .withData("port", config.dicom().port())
                .withData("activeAssociations", node.activeAssociations())
                .withData("maxAssociations", config.dicom().maxAssociations())
                // Accepted, not yet decoded/indexed/announced: grows during bursts, drains after.
                .withData("processingBacklog", processor.backlog())
                // Of those, failed and waiting to be tried again (the log says why): a number that
                // stays up means objects that cannot be processed as they are.
                .withData("processingFailing", processor.failing())
                .build();
    }
}
