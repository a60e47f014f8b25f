package io.medssl.trainer.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.medssl.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Small JSON records per dataset in storage ({@code <prefix>/<dataset>/<id>.json}), so a restarted
 * trainer still knows what it consumed. Keyed by id: a redelivered event replaces its record,
 * never duplicates it.
 */
final class JsonRecords<T> {
    private final BlobStore store;
    private final ObjectMapper json;
    private final String prefix;
    private final Class<T> type;

    JsonRecords(BlobStore store, ObjectMapper json, String prefix, Class<T> type) {
        this.store = store;
        this.json = json;
        this.prefix = prefix;
        this.type = type;
    }

    synchronized void put(String dataset, String id, T value) throws IOException {
        byte[] bytes = json.writeValueAsBytes(value);
        store.put(prefix + "/" + safe(dataset) + "/" + safe(id) + ".json", out -> out.write(bytes));
    }

    synchronized List<T> list(String dataset) throws IOException {
        List<T> all = new ArrayList<>();
        for (String key : store.list(prefix + "/" + safe(dataset))) {
            try (InputStream in = store.open(key)) {
                all.add(json.readValue(in, type));
            }
        }
        return all;
    }

    static String safe(String name) {
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("unsafe name: " + name);
        }
        return name;
    }
}
