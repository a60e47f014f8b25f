package io.medssl.ingest.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.medssl.contracts.InstanceIngested;
import io.medssl.storage.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The de-identified index of ingested instances: one JSON record per instance under
 * {@code ingest/index/}, written durably before the instance is announced. A record is the
 * InstanceIngested event plus {@code accessionId}, the pseudonym of the accession number (absent
 * when the object has none, and in records written before it was kept). It holds pseudonyms and
 * geometry only, never PHI.
 */
@ApplicationScoped
public class InstanceIndex {
    private static final String PREFIX = "ingest/index";
    static final String ACCESSION_ID = "accessionId";

    /** One index record: the event, and the accession-number pseudonym or null. */
    public record Entry(InstanceIngested instance, String accessionId) {
    }

    /**
     * The studies of one dataset, by pseudonym.
     *
     * @param studiesByAccession accession pseudonym → the studies whose instances carry it
     *     (usually one)
     */
    public record DatasetStudies(Set<String> studyIds, Map<String, Set<String>> studiesByAccession) {
    }

    private final BlobStore store;
    private final ObjectMapper json;

    public InstanceIndex(BlobStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    /** @param accessionId the accession number's pseudonym, or null when the object has none */
    public void record(InstanceIngested instance, String accessionId) throws IOException {
        ObjectNode node = json.valueToTree(instance);
        if (accessionId != null) {
            node.put(ACCESSION_ID, accessionId);
        }
        byte[] bytes = json.writeValueAsBytes(node);
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
        return Optional.of(read(key).instance());
    }

    public List<InstanceIngested> list() throws IOException {
        return entries().stream().map(Entry::instance).toList();
    }

    public List<Entry> entries() throws IOException {
        List<Entry> all = new ArrayList<>();
        for (String key : store.list(PREFIX)) {
            all.add(read(key));
        }
        return all;
    }

    /** The studies ingested into {@code dataset} (reads the whole index). */
    public DatasetStudies studies(String dataset) throws IOException {
        Set<String> studyIds = new HashSet<>();
        Map<String, Set<String>> byAccession = new HashMap<>();
        for (Entry e : entries()) {
            if (!dataset.equals(e.instance().dataset())) {
                continue;
            }
            studyIds.add(e.instance().studyId());
            if (e.accessionId() != null) {
                byAccession.computeIfAbsent(e.accessionId(), a -> new HashSet<>()).add(e.instance().studyId());
            }
        }
        return new DatasetStudies(studyIds, byAccession);
    }

    private Entry read(String key) throws IOException {
        JsonNode node;
        try (InputStream in = store.open(key)) {
            node = json.readTree(in);
        }
        String accessionId = node.path(ACCESSION_ID).textValue();
        if (node instanceof ObjectNode object) {
            object.remove(ACCESSION_ID);
        }
        return new Entry(json.treeToValue(node, InstanceIngested.class), accessionId);
    }

    private static String key(String instanceId) {
        if (!instanceId.matches("[0-9.]+")) {
            throw new IllegalArgumentException("not an instance pseudonym: " + instanceId);
        }
        return PREFIX + "/" + instanceId + ".json";
    }
}
