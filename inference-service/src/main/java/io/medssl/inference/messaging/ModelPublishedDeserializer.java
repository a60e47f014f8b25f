package io.medssl.inference.messaging;

import io.medssl.contracts.ModelPublished;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

public class ModelPublishedDeserializer extends ObjectMapperDeserializer<ModelPublished> {
    public ModelPublishedDeserializer() {
        super(ModelPublished.class);
    }
}
