package io.medssl.dicom;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;

/**
 * The bytes of one object a C-STORE delivered, as a Part 10 stream (meta header + data set). Held
 * in memory up to {@link #MEMORY_LIMIT} — a CT or MR slice, a small radiograph — so receiving it costs
 * no file creation, page-cache writes or unlink; a larger object (multi-frame, mammography) goes
 * to a file in the incoming folder as it arrives. The memory is the association's and is reused
 * for its next object: an in-memory object is valid only until the handler returns. Handlers that
 * need a file ask for {@link #file()}; that file is theirs to move or delete.
 */
public final class IncomingObject {
    /**
     * Objects up to this many bytes stay in memory: a CT or MR slice, a small radiograph. At most one such
     * buffer per open association (16 by default: 128 MiB at worst).
     */
    public static final int MEMORY_LIMIT = 8 << 20;

    private final Path incomingDir;
    private byte[] memory;
    private int count;
    private Path file;
    private OutputStream fileOut;

    /** {@code reuse}: the association's buffer from its previous object (may be null). */
    IncomingObject(Path incomingDir, byte[] reuse) {
        this.incomingDir = incomingDir;
        this.memory = reuse != null ? reuse : new byte[64 * 1024];
    }

    void write(byte[] bytes, int offset, int length) throws IOException {
        if (fileOut != null) {
            fileOut.write(bytes, offset, length);
            return;
        }
        if ((long) count + length > MEMORY_LIMIT) {
            spill();
            fileOut.write(bytes, offset, length);
            return;
        }
        if (count + length > memory.length) {
            memory = Arrays.copyOf(memory, (int) Math.min(MEMORY_LIMIT, Math.max(count + length, 2L * memory.length)));
        }
        System.arraycopy(bytes, offset, memory, count, length);
        count += length;
    }

    /** Too big for memory: what arrived so far goes to a file, and the rest follows it there. */
    private void spill() throws IOException {
        file = newFile();
        fileOut = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
        fileOut.write(memory, 0, count);
        count = 0;
    }

    /** Random names: the original UIDs stay out of file names. */
    private Path newFile() {
        return incomingDir.resolve("c-store-" + UUID.randomUUID() + ".dcm");
    }

    /** All bytes are in. */
    void finish() throws IOException {
        if (fileOut != null) {
            fileOut.close();
            fileOut = null;
        }
    }

    /** Drops the bytes (an incomplete, refused or already kept object): no file is left behind. */
    public void discard() throws IOException {
        try {
            if (fileOut != null) {
                fileOut.close();
            }
        } finally {
            fileOut = null;
            count = 0;
            if (file != null) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** Writes into this object (the meta header, from PixelMed's writer). */
    OutputStream sink() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                IncomingObject.this.write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                IncomingObject.this.write(bytes, offset, length);
            }
        };
    }

    /** The buffer the association hands to its next object. */
    byte[] buffer() {
        return memory;
    }

    /** Whether the bytes are in memory ({@link #bytes()}) rather than in a file. */
    public boolean inMemory() {
        return file == null;
    }

    /** The bytes, when {@link #inMemory()}: a read-only view, valid until the handler returns. */
    public ByteBuffer bytes() {
        if (!inMemory()) {
            throw new IllegalStateException("the object is in a file: " + file.getFileName());
        }
        return ByteBuffer.wrap(memory, 0, count).asReadOnlyBuffer();
    }

    public long length() throws IOException {
        return inMemory() ? count : Files.size(file);
    }

    /** Reads the object from the start (each call anew). */
    public InputStream open() throws IOException {
        return inMemory() ? new ByteArrayInputStream(memory, 0, count) : Files.newInputStream(file);
    }

    /**
     * The object as a file in the incoming folder — written there now when it was in memory. The
     * file is the caller's to move or delete; the node deletes it if it is still there after a
     * failure answer.
     */
    public Path file() throws IOException {
        if (file == null) {
            Path written = newFile();
            try (OutputStream out = Files.newOutputStream(written)) {
                out.write(memory, 0, count);
            }
            file = written;
            count = 0;
        }
        return file;
    }

    /** The file, if one was made (a large object, or {@link #file()} was asked for); null otherwise. */
    public Path fileIfAny() {
        return file;
    }
}
