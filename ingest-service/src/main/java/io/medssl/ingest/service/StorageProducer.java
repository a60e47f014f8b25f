package io.medssl.ingest.service;

import io.medssl.ingest.config.IngestConfig;
import io.medssl.storage.BlobStore;
import io.medssl.storage.FileBlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The shared blob store, rooted at {@code medssl.storage.root}. */
public class StorageProducer {
    @Produces
    @ApplicationScoped
    BlobStore blobStore(IngestConfig config) {
        return new FileBlobStore(config.storage().root());
    }
}
