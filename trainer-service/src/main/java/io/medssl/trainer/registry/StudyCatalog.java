package io.medssl.trainer.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.medssl.contracts.InstanceIngested;
import io.medssl.contracts.LabelAssigned;
import io.medssl.storage.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.List;

/**
 * What fine-tuning needs to know about a dataset: its (de-identified) instances with their pixel
 * arrays, and the labels assigned to its studies ({@code trainer/instances/}, {@code trainer/labels/}).
 * The latest label of a study wins.
 */
@ApplicationScoped
public class StudyCatalog {
    private final JsonRecords<InstanceIngested> instances;
    private final JsonRecords<LabelAssigned> labels;

    public StudyCatalog(BlobStore store, ObjectMapper json) {
        this.instances = new JsonRecords<>(store, json, "trainer/instances", InstanceIngested.class);
        this.labels = new JsonRecords<>(store, json, "trainer/labels", LabelAssigned.class);
    }

    public void add(InstanceIngested instance) throws IOException {
        instances.put(instance.dataset(), instance.instanceId(), instance);
    }

    public void add(LabelAssigned label) throws IOException {
        labels.put(label.dataset(), label.studyId(), label);
    }

    public List<InstanceIngested> instances(String dataset) throws IOException {
        return instances.list(dataset);
    }

    public List<LabelAssigned> labels(String dataset) throws IOException {
        return labels.list(dataset);
    }
}
