package io.medssl.ingest.service;

import io.medssl.ingest.config.IngestConfig;
import io.medssl.storage.BlobStore;
import io.medssl.storage.FileBlobStore;
import io.medssl.storage.Journal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The shared blob store, rooted at {@code medssl.storage.root}, and ingest's accept journal inside it. */
public class StorageProducer {
    @Produces
    @ApplicationScoped
    BlobStore blobStore(IngestConfig config) {
        return new FileBlobStore(config.storage().root());
    }

    /** In ingest's own area: journaled objects are originals, with their PHI. Singleton: Journal is a final class (no proxy). */
    @Produces
    @Singleton
    Journal acceptJournal(IngestConfig config) {
        try {
            return Journal.open(config.storage().root().resolve("ingest/journal"), config.dicom().journalSegmentSize().asLongValue());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the accept journal", e);
        }
    }

    void closeJournal(@Disposes Journal journal) throws IOException {
        journal.close();
    }
}
