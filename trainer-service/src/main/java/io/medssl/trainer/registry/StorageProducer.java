package io.medssl.trainer.registry;

import io.medssl.storage.BlobStore;
import io.medssl.storage.FileBlobStore;
import io.medssl.trainer.config.TrainerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The shared blob store, rooted at {@code medssl.storage.root}. */
public class StorageProducer {
    @Produces
    @ApplicationScoped
    BlobStore blobStore(TrainerConfig config) {
        return new FileBlobStore(config.storage().root());
    }
}
