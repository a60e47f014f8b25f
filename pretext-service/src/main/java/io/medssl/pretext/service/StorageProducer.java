package io.medssl.pretext.service;

import io.medssl.pretext.config.PretextConfig;
import io.medssl.storage.BlobStore;
import io.medssl.storage.FileBlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The shared blob store, rooted at {@code medssl.storage.root}. */
public class StorageProducer {
    @Produces
    @ApplicationScoped
    BlobStore blobStore(PretextConfig config) {
        return new FileBlobStore(config.storage().root());
    }
}
