package io.medssl.ingest.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.medssl.contracts.InstanceIngested;
import io.medssl.storage.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The de-identified index of ingested instances: one JSON record per instance under
 * {@code ingest/index/}, written durably before the instance is announced. It holds only what the
 * InstanceIngested event holds (pseudonyms, geometry), never PHI.
 */
@ApplicationScoped
public class InstanceIndex {
    private static final String PREFIX = "ingest/index";
    private final BlobStore store;
    private final ObjectMapper json;

    public InstanceIndex(BlobStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    public void record(InstanceIngested instance) throws IOException {
        byte[] bytes = json.writeValueAsBytes(instance);
        store.put(key(instance.instanceId()), out -> out.write(bytes));
    }

    public Optional<InstanceIngested> find(String instanceId) throws IOException {
        String key;
        try {
            key = key(instanceId);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!store.exists(key)) {
            return Optional.empty();
        }
        try (InputStream in = store.open(key)) {
            return Optional.of(json.readValue(in, InstanceIngested.class));
        }
    }

    public List<InstanceIngested> list() throws IOException {
        List<InstanceIngested> all = new ArrayList<>();
        for (String key : store.list(PREFIX)) {
            try (InputStream in = store.open(key)) {
                all.add(json.readValue(in, InstanceIngested.class));
            }
        }
        return all;
    }

    private static String key(String instanceId) {
        if (!instanceId.matches("[0-9.]+")) {
            throw new IllegalArgumentException("not an instance pseudonym: " + instanceId);
        }
        return PREFIX + "/" + instanceId + ".json";
    }
}
