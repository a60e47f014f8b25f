package io.medssl.local;

import java.nio.file.Path;

/**
 * Where and on which ports the local suite runs. Defaults are the documented ones (DICOM 11112,
 * HTTP 8081–8084, Kafka 9092); each can be overridden with a system property or environment
 * variable, e.g. {@code -Dmedssl.dicom.port=11113} or {@code MEDSSL_DICOM_PORT=11113}.
 */
public record SuiteOptions(Path repo, Path dataDir, String aeTitle, int dicomPort, int ingestPort, int pretextPort,
                           int trainerPort, int inferencePort, int kafkaPort, int trainingSteps, int pacsPort) {

    /** The demo PACS (dcmtk's storescp) that receives the models' results as DICOM SR. */
    public static final String PACS_AE_TITLE = "PACS";
    /** The model the demo routes every ingested image of the default dataset to. */
    public static final String DEMO_MODEL = "default-ssl";

    public static SuiteOptions fromEnvironment(Path repo, Path dataDir) {
        return new SuiteOptions(repo, dataDir,
                setting("medssl.dicom.ae-title", "MEDSSL"),
                Integer.parseInt(setting("medssl.dicom.port", "11112")),
                Integer.parseInt(setting("medssl.ingest.port", "8081")),
                Integer.parseInt(setting("medssl.pretext.port", "8082")),
                Integer.parseInt(setting("medssl.trainer.port", "8083")),
                Integer.parseInt(setting("medssl.inference.port", "8084")),
                Integer.parseInt(setting("medssl.kafka.port", "9092")),
                Integer.parseInt(setting("medssl.trainer.steps", "60")),
                Integer.parseInt(setting("medssl.pacs.port", "11113")));
    }

    /** A system property, else the environment variable of the same name (MEDSSL_DICOM_PORT), else the default. */
    static String setting(String property, String defaultValue) {
        String value = System.getProperty(property);
        if (value == null) {
            value = System.getenv(property.toUpperCase().replace('.', '_').replace('-', '_'));
        }
        return value == null || value.isBlank() ? defaultValue : value;
    }

    public Path pacsDir() {
        return dataDir.resolve("pacs");
    }

    public String url(int port) {
        return "http://127.0.0.1:" + port;
    }
}
