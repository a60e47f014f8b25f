package io.medssl.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Writes a new file with direct I/O ({@code O_DIRECT}): from an aligned buffer straight to the
 * device, without filling the page cache. For blobs written once and rarely read again (archived
 * originals, de-identified copies): writing them through the page cache costs a copy into pages
 * nobody reads, their write-back later, and evicts what readers do need. The device requires
 * every write to be aligned (offset, length and buffer address to the file system's block size),
 * so content is staged in {@link #CHUNK}-sized aligned buffers and the last, partial block is
 * written padded and the file then truncated to its real length.
 */
final class DirectFileOutputStream extends OutputStream {
    /** Bytes per device write; a multiple of every block size in use (4 KiB typical). */
    static final int CHUNK = 1 << 20;
    /** Buffers kept for reuse across writes: allocating and zeroing 1 MiB of direct memory per blob is not free. */
    private static final BlockingQueue<ByteBuffer> SPARE = new ArrayBlockingQueue<>(4);

    private final FileChannel channel;
    private final int alignment;
    private ByteBuffer buffer;
    private long written;

    DirectFileOutputStream(FileChannel channel, int alignment) {
        if (alignment <= 0 || CHUNK % alignment != 0) {
            throw new IllegalArgumentException("unsupported block size for direct I/O: " + alignment);
        }
        this.channel = channel;
        this.alignment = alignment;
        ByteBuffer spare = SPARE.poll();
        this.buffer = spare != null && spare.capacity() == CHUNK && isAligned(spare, alignment)
                ? spare.clear()
                : ByteBuffer.allocateDirect(CHUNK + alignment).alignedSlice(alignment).limit(CHUNK).slice();
    }

    private static boolean isAligned(ByteBuffer buffer, int alignment) {
        return buffer.alignmentOffset(0, alignment) == 0;
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        if (!buffer.hasRemaining()) {
            writeBuffer();
        }
        buffer.put((byte) b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        ensureOpen();
        while (length > 0) {
            if (!buffer.hasRemaining()) {
                writeBuffer();
            }
            int n = Math.min(length, buffer.remaining());
            buffer.put(bytes, offset, n);
            offset += n;
            length -= n;
        }
    }

    /** Nothing to do: only whole blocks can be written, and {@link #close} writes the rest. */
    @Override
    public void flush() {
    }

    /** Writes what is staged (the tail padded to a block), truncates the padding away and closes the channel. */
    @Override
    public void close() throws IOException {
        if (buffer == null) {
            return;
        }
        try {
            long length = written + buffer.position();
            if (buffer.position() > 0) {
                int padded = (buffer.position() + alignment - 1) / alignment * alignment;
                while (buffer.position() < padded) {
                    buffer.put((byte) 0);
                }
                writeBuffer();
            }
            if (channel.size() != length) {
                channel.truncate(length);
            }
        } finally {
            ByteBuffer done = buffer;
            buffer = null;
            SPARE.offer(done.clear());
            channel.close();
        }
    }

    private void writeBuffer() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            written += channel.write(buffer, written);
        }
        buffer.clear();
    }

    private void ensureOpen() throws IOException {
        if (buffer == null) {
            throw new IOException("stream closed");
        }
    }
}
