package io.medssl.trainer.messaging;

import io.medssl.contracts.InstanceIngested;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

public class InstanceIngestedDeserializer extends ObjectMapperDeserializer<InstanceIngested> {
    public InstanceIngestedDeserializer() {
        super(InstanceIngested.class);
    }
}
