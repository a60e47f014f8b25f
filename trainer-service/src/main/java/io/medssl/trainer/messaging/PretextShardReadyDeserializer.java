package io.medssl.trainer.messaging;

import io.medssl.contracts.PretextShardReady;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

public class PretextShardReadyDeserializer extends ObjectMapperDeserializer<PretextShardReady> {
    public PretextShardReadyDeserializer() {
        super(PretextShardReady.class);
    }
}
