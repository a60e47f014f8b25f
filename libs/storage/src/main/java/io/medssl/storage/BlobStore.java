package io.medssl.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Where payloads live (pixels, shards, models); events carry only the keys. A key is a relative,
 * slash-separated path such as {@code pixels/45/23/2.25.12345.npy}. One folder on one machine; an
 * S3-compatible store can implement this later without touching callers.
 */
public interface BlobStore {

    /** Writes the content atomically and durably: after return it survives a crash, and a reader never sees a partial blob. */
    default void put(String key, ContentWriter writer) throws IOException {
        put(key, writer, Reading.SOON);
    }

    /**
     * As {@link #put(String, ContentWriter)}, saying how soon the blob is read again: a store may
     * keep {@link Reading#RARELY rarely read} blobs out of its caches.
     */
    void put(String key, ContentWriter writer, Reading reading) throws IOException;

    /** Moves an existing local file into the store under {@code key}, durably. */
    void putFile(String key, Path source) throws IOException;

    boolean exists(String key);

    InputStream open(String key) throws IOException;

    /** A local path for readers that need one (memory-mapped arrays, DJL loaders). */
    Path localPath(String key);

    /** Keys directly or indirectly below {@code prefix}, sorted. */
    List<String> list(String prefix) throws IOException;

    /** How soon a blob written now is read again. */
    enum Reading {
        /** Readers follow soon (e.g. a pixel array announced to downstream services). */
        SOON,
        /** Kept for the record, read again seldom if ever (archived originals, export copies). */
        RARELY
    }

    @FunctionalInterface
    interface ContentWriter {
        void writeTo(OutputStream out) throws IOException;
    }
}
