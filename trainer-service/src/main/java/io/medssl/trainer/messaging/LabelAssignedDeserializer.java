package io.medssl.trainer.messaging;

import io.medssl.contracts.LabelAssigned;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

public class LabelAssignedDeserializer extends ObjectMapperDeserializer<LabelAssigned> {
    public LabelAssignedDeserializer() {
        super(LabelAssigned.class);
    }
}
