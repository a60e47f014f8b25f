package io.medssl.trainer.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.medssl.contracts.PretextShardReady;
import io.medssl.storage.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The shards the trainer knows of, per dataset, kept in storage ({@code trainer/shards/}) so that
 * a restarted trainer still knows what it consumed before. Keyed by shard id: a redelivered
 * announcement replaces, never duplicates.
 */
@ApplicationScoped
public class ShardCatalog {
    private static final String PREFIX = "trainer/shards";
    private final BlobStore store;
    private final ObjectMapper json;

    public ShardCatalog(BlobStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    /** Records the shard; a redelivered announcement overwrites its earlier record. */
    public synchronized void add(PretextShardReady shard) throws IOException {
        byte[] bytes = json.writeValueAsBytes(shard);
        store.put(key(shard.dataset(), shard.shardId()), out -> out.write(bytes));
    }

    public synchronized List<PretextShardReady> shards(String dataset) throws IOException {
        List<PretextShardReady> all = new ArrayList<>();
        for (String key : store.list(PREFIX + "/" + safe(dataset))) {
            try (InputStream in = store.open(key)) {
                all.add(json.readValue(in, PretextShardReady.class));
            }
        }
        return all;
    }

    private static String key(String dataset, String shardId) {
        return PREFIX + "/" + safe(dataset) + "/" + safe(shardId) + ".json";
    }

    private static String safe(String name) {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("unsafe name: " + name);
        }
        return name;
    }
}
