package io.medssl.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Where payloads live (pixels, shards, models); events carry only the keys. A key is a relative,
 * slash-separated path such as {@code pixels/2.25.123.npy}. One folder on one machine; an
 * S3-compatible store can implement this later without touching callers.
 */
public interface BlobStore {

    /** Writes the content atomically and durably: after return it survives a crash, and a reader never sees a partial blob. */
    void put(String key, ContentWriter writer) throws IOException;

    /** Moves an existing local file into the store under {@code key}, durably. */
    void putFile(String key, Path source) throws IOException;

    boolean exists(String key);

    InputStream open(String key) throws IOException;

    /** A local path for readers that need one (memory-mapped arrays, DJL loaders). */
    Path localPath(String key);

    /** Keys directly or indirectly below {@code prefix}, sorted. */
    List<String> list(String prefix) throws IOException;

    @FunctionalInterface
    interface ContentWriter {
        void writeTo(OutputStream out) throws IOException;
    }
}
