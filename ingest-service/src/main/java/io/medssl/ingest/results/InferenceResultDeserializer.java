package io.medssl.ingest.results;

import io.medssl.contracts.InferenceResult;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

public class InferenceResultDeserializer extends ObjectMapperDeserializer<InferenceResult> {
    public InferenceResultDeserializer() {
        super(InferenceResult.class);
    }
}
