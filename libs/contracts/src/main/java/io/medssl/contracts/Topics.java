package io.medssl.contracts;

/** Kafka topic names shared by every service. Events are small JSON; payloads live in storage. */
public final class Topics {
    public static final String INSTANCES = "medssl.instances";
    public static final String LABELS = "medssl.labels";
    public static final String PRETEXT_SHARDS = "medssl.pretext-shards";
    public static final String MODELS = "medssl.models";
    public static final String INFERENCE_RESULTS = "medssl.inference-results";

    private Topics() {
    }
}
