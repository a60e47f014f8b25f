package io.medssl.ingest.health;

import io.medssl.ingest.config.IngestConfig;
import io.medssl.ingest.dimse.DicomNode;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

@Readiness
@ApplicationScoped
public class DicomNodeHealthCheck implements HealthCheck {
    private final DicomNode node;
    private final IngestConfig config;

    public DicomNodeHealthCheck(DicomNode node, IngestConfig config) {
        this.node = node;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("dicom-node")
                .status(!config.dicom().enabled() || node.listening())
                .withData("aeTitle", config.dicom().aeTitle())
                .withData("port", config.dicom().port())
                .withData("activeAssociations", node.activeAssociations())
                .withData("maxAssociations", config.dicom().maxAssociations())
                .build();
    }
}
