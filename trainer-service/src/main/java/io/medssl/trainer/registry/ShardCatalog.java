package io.medssl.trainer.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.medssl.contracts.PretextShardReady;
import io.medssl.storage.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.List;

/** The pretext shards the trainer knows of, per dataset ({@code trainer/shards/}). */
@ApplicationScoped
public class ShardCatalog {
    private final JsonRecords<PretextShardReady> records;

    public ShardCatalog(BlobStore store, ObjectMapper json) {
        this.records = new JsonRecords<>(store, json, "trainer/shards", PretextShardReady.class);
    }

    public void add(PretextShardReady shard) throws IOException {
        records.put(shard.dataset(), shard.shardId(), shard);
    }

    public List<PretextShardReady> shards(String dataset) throws IOException {
        return records.list(dataset);
    }
}
