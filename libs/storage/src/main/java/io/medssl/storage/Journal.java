package io.medssl.storage;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * A durable append-only journal of files: what a receiver writes before it says "stored", so the
 * acknowledgement costs one {@code fdatasync} of data already in place rather than creating,
 * fsyncing and renaming a file and fsyncing its folder (about 1.3 ms per object here against 0.5).
 * Entries are appended to segment files that were filled with zeros (or recycled) before use, so
 * an append changes no file-system metadata; concurrent appends share one sync (group commit).
 * Entries are written one after the other and each carries its segment's sequence number (never
 * reused) and a CRC-32C over all of it: recovery reads every segment up to the first entry that
 * is torn, stale (left from a recycled segment's earlier life) or corrupt — an acknowledged entry
 * was synced, and with it everything written before it, so only unacknowledged ones can be there.
 *
 * <p>The owner moves each entry's content to its lasting place and then {@link #settle}s it. A
 * segment whose entries are all settled is recycled for later appends. Settling is noted in a
 * small side file without a sync: after a restart {@link #recovered()} returns the entries not
 * noted there (after a power cut a few settled ones may come back: settling must tolerate that).
 */
public final class Journal implements AutoCloseable {
    /**
     * Prepared segments kept ready: settled ones are recycled into this pool instead of being
     * deleted, and a background thread fills it with new ones (zeros, synced) when it runs low,
     * so an append never waits for a segment to be prepared unless the pool ran dry.
     */
    private static final int SPARE_SEGMENTS = 2;
    /**
     * Settled segments kept for reuse, ready ones included. More than {@link #SPARE_SEGMENTS}: while
     * a backlog is being worked off, a segment is usually taken (and a fresh one started, since the
     * pool ran low) before the last full one is settled; with room for only two, that settled one was
     * then deleted, so every segment's worth of objects cost a segment of zeros written and synced
     * (a tenth of ingest-service's CPU while draining a backlog). Recycling up to this many keeps the
     * journal's files at the size its backlog reaches, and nothing is prepared once they suffice.
     */
    private static final int KEPT_SEGMENTS = 2 * SPARE_SEGMENTS;
    private static final int MAGIC = 0x4D534A31; // "MSJ1"
    /** magic, segment sequence, meta length, payload length (long). */
    static final int HEADER = 4 + 8 + 4 + 8;
    static final int TRAILER = 4;
    /** An entry's write ends on a page boundary (zeros after its trailer): the page size of x86-64 and most arm64 kernels. */
    static final long PAGE = 4096;
    private static final int MAX_META = 64 * 1024;
    private static final int COPY_CHUNK = 1 << 20;
    /** Appends must have paused this long before a spare is prepared while another is still ready. */
    private static final long QUIET_NANOS = 200_000_000L;
    private static final String SUFFIX = ".journal";
    /** Recycled segments keep their last sequence in the name, so a restart never reuses it. */
    private static final String RECYCLED = "spare-";
    private static final String FRESH = "fresh-";
    private static final String PREPARING = "preparing-";
    private static final String SETTLED_FILE = "settled.log";
    /** 1 MiB of notes (65,536 settled entries) before the side file is rewritten. */
    private static final long SETTLED_LOG_LIMIT = 1 << 20;

    /** One appended file: where it is, and the owner's description of it ({@code meta}). */
    public record Entry(long sequence, long offset, byte[] meta, long payloadLength) {
    }

    private static final class Segment {
        final long sequence;
        final Path file;
        final FileChannel channel;
        final long capacity;
        /** Bytes handed out to appenders (under the append lock). */
        long reserved;
        /**
         * Entries appended (or recovered) and their offsets once settled, under {@link #counts}:
         * not the segment's own monitor, which a sync holds for the length of an fdatasync.
         */
        final Object counts = new Object();
        int entries;
        final Set<Long> settled = new HashSet<>();
        /** Appends whose bytes are written; {@link #syncedThrough} is the count covered by the last sync. */
        final AtomicLong written = new AtomicLong();
        long syncedThrough;
        /** A sync failed: nothing in this segment written since is known to be on disk. */
        boolean failed;
        /** No more appends (under the append lock). */
        boolean sealed;

        Segment(long sequence, Path file, FileChannel channel, long capacity) {
            this.sequence = sequence;
            this.file = file;
            this.channel = channel;
            this.capacity = capacity;
        }

        boolean allSettled() {
            synchronized (counts) {
                return settled.size() == entries;
            }
        }
    }

    private final Path dir;
    private final long segmentSize;
    private final Object appendLock = new Object();
    private final Deque<Path> spares = new ArrayDeque<>();
    private final Map<Long, Segment> segments = new HashMap<>();
    private final List<Entry> recovered = new ArrayList<>();
    private final ByteBuffer copyBuffer = ByteBuffer.allocateDirect(COPY_CHUNK);
    /** Guarded by {@link #settledLock}; replaced when compacted. */
    private FileChannel settledLog;
    private final Object settledLock = new Object();
    private final ExecutorService preparer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "journal-preparer");
        t.setDaemon(true);
        return t;
    });
    private Segment active;
    /** From 1: a torn, zero-filled settled note reads as (0, 0) and must name no entry. */
    private long nextSequence = 1;
    /** The spare being prepared in the background, if any (under the append lock). */
    private Future<Path> preparing;
    /** Read by the preparer without the append lock (which an append may hold while it waits for the preparer). */
    private volatile int spareCount;
    private volatile long lastAppendNanos = System.nanoTime() - QUIET_NANOS;
    private volatile boolean closed;

    private final long settledLogLimit;

    private Journal(Path dir, long segmentSize, long settledLogLimit) {
        this.dir = dir;
        this.segmentSize = segmentSize;
        this.settledLogLimit = settledLogLimit;
    }

    /**
     * Opens (creating) the journal in {@code dir}. Entries left unsettled by the previous run are
     * in {@link #recovered()}; new appends always go to a fresh segment.
     */
    public static Journal open(Path dir, long segmentSize) throws IOException {
        return open(dir, segmentSize, SETTLED_LOG_LIMIT);
    }

    /** As {@link #open(Path, long)}, rewriting the settled notes beyond {@code settledLogLimit} bytes (tests). */
    static Journal open(Path dir, long segmentSize, long settledLogLimit) throws IOException {
        if (segmentSize < 1 << 16) {
            throw new IllegalArgumentException("segment size " + segmentSize + " is below 64 KiB");
        }
        Files.createDirectories(dir);
        Map<Long, Set<Long>> settled = readSettled(dir.resolve(SETTLED_FILE));
        Journal journal = new Journal(dir, segmentSize, settledLogLimit);
        try {
            journal.recover(settled);
            synchronized (journal.settledLock) {
                // The settled notes of the segments still here, in a fresh file (the old one's may name gone segments).
                journal.rewriteSettledLog();
            }
            synchronized (journal.appendLock) {
                journal.topUpSpares();
            }
        } catch (IOException | RuntimeException e) {
            journal.close();
            throw e;
        }
        return journal;
    }

    private static Map<Long, Set<Long>> readSettled(Path file) throws IOException {
        Map<Long, Set<Long>> settled = new HashMap<>();
        if (!Files.isRegularFile(file)) {
            return settled;
        }
        ByteBuffer notes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        while (notes.remaining() >= 16) { // a torn last note is ignored: its entry comes back
            settled.computeIfAbsent(notes.getLong(), k -> new HashSet<>()).add(notes.getLong());
        }
        return settled;
    }

    private void recover(Map<Long, Set<Long>> settledNotes) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            String stem = name.substring(0, name.length() - SUFFIX.length());
            if (name.startsWith(PREPARING)) {
                Files.delete(file); // a preparation cut short by the end of the last run
            } else if (name.startsWith(FRESH) || name.startsWith(RECYCLED)) {
                if (name.startsWith(RECYCLED)) {
                    nextSequence = Math.max(nextSequence, sequenceIn(stem.substring(RECYCLED.length())) + 1);
                }
                if (Files.size(file) == segmentSize) {
                    spares.add(file);
                } else {
                    Files.delete(file); // prepared for another segment size
                }
            } else if (sequenceIn(stem) >= 0) {
                long sequence = sequenceIn(stem);
                nextSequence = Math.max(nextSequence, sequence + 1);
                FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                Segment segment = new Segment(sequence, file, channel, channel.size());
                segment.sealed = true;
                segments.put(sequence, segment);
                Set<Long> settled = settledNotes.getOrDefault(sequence, Set.of());
                for (Entry entry : scan(segment)) {
                    segment.entries++;
                    if (settled.contains(entry.offset())) {
                        segment.settled.add(entry.offset());
                    } else {
                        recovered.add(entry);
                    }
                }
                if (segment.allSettled()) {
                    retire(segment);
                }
            }
        }
    }

    /** The number a segment file is named by; -1 for a name that is not one. */
    private static long sequenceIn(String stem) {
        if (stem.isEmpty() || stem.length() > 19 || !stem.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        try {
            return Long.parseLong(stem);
        } catch (NumberFormatException tooLarge) {
            return -1;
        }
    }

    /** The valid entries of a segment, in order, up to the first torn, stale or corrupt one. */
    private static List<Entry> scan(Segment segment) throws IOException {
        List<Entry> entries = new ArrayList<>();
        long offset = 0;
        ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer chunk = ByteBuffer.allocate(COPY_CHUNK);
        while (segment.capacity - offset >= HEADER + TRAILER) {
            header.clear();
            readFully(segment.channel, header, offset);
            header.flip();
            if (header.getInt() != MAGIC || header.getLong() != segment.sequence) {
                break;
            }
            int metaLength = header.getInt();
            long payloadLength = header.getLong();
            long room = segment.capacity - offset - HEADER - TRAILER;
            if (metaLength < 0 || metaLength > MAX_META || payloadLength < 0 || payloadLength > room - metaLength) {
                break;
            }
            CRC32C crc = new CRC32C();
            header.flip();
            crc.update(header);
            ByteBuffer meta = ByteBuffer.allocate(metaLength);
            readFully(segment.channel, meta, offset + HEADER);
            meta.flip();
            crc.update(meta.duplicate());
            long at = offset + HEADER + metaLength;
            for (long done = 0; done < payloadLength; ) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), payloadLength - done));
                readFully(segment.channel, chunk, at + done);
                chunk.flip();
                done += chunk.remaining();
                crc.update(chunk);
            }
            ByteBuffer trailer = ByteBuffer.allocate(TRAILER).order(ByteOrder.LITTLE_ENDIAN);
            readFully(segment.channel, trailer, at + payloadLength);
            if (trailer.flip().getInt() != (int) crc.getValue()) {
                break;
            }
            entries.add(new Entry(segment.sequence, offset, meta.array(), payloadLength));
            offset = at + payloadLength + TRAILER;
        }
        return entries;
    }

    /** Entries the previous run appended and did not settle, oldest first. */
    public List<Entry> recovered() {
        return List.copyOf(recovered);
    }

    /**
     * Appends {@code payload}'s bytes with {@code meta} and returns once they are on stable
     * storage (the file is left in place). Safe to call from several threads.
     */
    public Entry append(byte[] meta, Path payload) throws IOException {
        long payloadLength = Files.size(payload);
        return append(meta, payloadLength, (channel, at, head, crc, tail) -> writePayload(channel, at, head, payload, payloadLength, crc, tail));
    }

    /** As {@link #append(byte[], Path)}, for bytes in memory (from the buffer's position to its limit; the buffer is not moved). */
    public Entry append(byte[] meta, ByteBuffer payload) throws IOException {
        return append(meta, payload.remaining(), (channel, at, head, crc, tail) -> {
            crc.update(payload.duplicate());
            writeGathered(channel, at, head, payload.duplicate(), tail.after(crc));
        });
    }

    /**
     * Writes an entry at {@code at}: its {@code head}, then its payload (added to the checksum),
     * then its {@link EntryTail tail}; the payload's last bytes go in the same write as the tail.
     */
    @FunctionalInterface
    private interface PayloadWriter {
        void write(FileChannel channel, long at, ByteBuffer head, CRC32C crc, EntryTail tail) throws IOException;
    }

    /** An entry's trailer (the checksum over all of it) and the zeros that fill its last page. */
    @FunctionalInterface
    private interface EntryTail {
        ByteBuffer after(CRC32C crc);
    }

    private Entry append(byte[] meta, long payloadLength, PayloadWriter payload) throws IOException {
        if (meta.length > MAX_META) {
            throw new IllegalArgumentException("journal meta of " + meta.length + " bytes; at most " + MAX_META);
        }
        long length = HEADER + meta.length + payloadLength + TRAILER;
        Segment segment;
        long offset;
        long ticket;
        // Entries are written one after the other, in file order: a sync that makes an entry
        // durable then covers every entry before it, so recovery may stop at the first bad one.
        synchronized (appendLock) {
            if (closed) {
                throw new IOException("the journal is closed");
            }
            if (active == null || active.reserved + length > active.capacity) {
                rotate(length);
            }
            segment = active;
            offset = segment.reserved;
            segment.reserved += length;
            try {
                write(segment, offset, meta, payload, payloadLength);
            } catch (IOException | RuntimeException e) {
                // Whatever followed this entry in the segment would be unreachable after a restart.
                sealActive();
                throw e;
            }
            synchronized (segment.counts) {
                segment.entries++;
            }
            ticket = segment.written.incrementAndGet();
            lastAppendNanos = System.nanoTime();
        }
        // Outside the lock: appends from other threads meanwhile share this sync (group commit).
        try {
            sync(segment, ticket);
        } catch (IOException e) {
            synchronized (appendLock) {
                if (active == segment) {
                    sealActive();
                }
            }
            throw e;
        }
        return new Entry(segment.sequence, offset, meta, payloadLength);
    }

    /**
     * Writes one entry (under the append lock, which also guards {@link #copyBuffer}), its last page
     * filled with zeros: the next entry starts right after it, in a page now in the page cache. A
     * write that ends inside a page which is no longer cached (a recycled segment, on a server
     * whose memory is full of other files) makes the kernel read that page from the disk first,
     * one synchronous read per object received before its Success.
     */
    private void write(Segment segment, long offset, byte[] meta, PayloadWriter payload, long payloadLength) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(HEADER + meta.length).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(MAGIC).putLong(segment.sequence).putInt(meta.length).putLong(payloadLength).put(meta).flip();
        CRC32C crc = new CRC32C();
        crc.update(head.duplicate());
        long end = offset + HEADER + meta.length + payloadLength + TRAILER;
        long padding = Math.min(-end & (PAGE - 1), segment.capacity - end);
        payload.write(segment.channel, offset, head, crc, checksum -> ByteBuffer.allocate(TRAILER + (int) padding)
                .order(ByteOrder.LITTLE_ENDIAN).putInt((int) checksum.getValue()).position(0));
    }

    /** A file's bytes into the journal (called under the append lock, which guards the copy buffer). */
    private void writePayload(FileChannel journal, long at, ByteBuffer head, Path payload, long payloadLength, CRC32C crc,
                              EntryTail tail) throws IOException {
        // A direct buffer: the bytes go file -> buffer -> journal, without the JDK's extra copies
        // through a temporary direct buffer that a heap buffer costs on every read and write.
        ByteBuffer chunk = copyBuffer;
        long position = at + writeGathered(journal, at, head);
        try (FileChannel in = FileChannel.open(payload, StandardOpenOption.READ)) {
            long done = 0;
            while (done < payloadLength) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), payloadLength - done));
                int n = in.read(chunk, done);
                if (n < 0) {
                    throw new IOException("file shrank while being journaled");
                }
                chunk.flip();
                crc.update(chunk);
                chunk.rewind();
                done += n;
                position += done < payloadLength
                        ? writeGathered(journal, position, chunk)
                        : writeGathered(journal, position, chunk, tail.after(crc));
            }
            if (payloadLength == 0) {
                writeGathered(journal, position, tail.after(crc));
            }
        }
    }

    /**
     * Makes every append to {@code segment} whose bytes were written up to {@code ticket} durable:
     * one {@code fdatasync} covers all appends written before it started (group commit). After a
     * failed sync none is: Linux may have dropped the unwritten pages and a later sync would
     * report success for data that never reached the disk.
     */
    private static void sync(Segment segment, long ticket) throws IOException {
        synchronized (segment) {
            if (segment.failed) {
                throw new IOException("an earlier sync of this journal segment failed");
            }
            if (segment.syncedThrough >= ticket) {
                return;
            }
            long covered = segment.written.get();
            try {
                // Data only: the segment's size and blocks were fixed when it was prepared.
                segment.channel.force(false);
            } catch (IOException | RuntimeException e) {
                segment.failed = true;
                throw e;
            }
            segment.syncedThrough = covered;
        }
    }

    /** No more appends to the active segment; the next append starts a new one (under the append lock). */
    private void sealActive() throws IOException {
        Segment old = active;
        active = null;
        if (old != null) {
            old.sealed = true;
            if (old.allSettled()) {
                retire(old);
            }
        }
    }

    /** A fresh active segment with room for {@code length} bytes (under the append lock). */
    private void rotate(long length) throws IOException {
        sealActive();
        long sequence = nextSequence++;
        long capacity = Math.max(segmentSize, length);
        Path file = dir.resolve(String.format("%019d", sequence) + SUFFIX);
        Path spare = capacity == segmentSize ? takeSpare() : null;
        if (spare != null) {
            Files.move(spare, file);
        } else {
            prepare(file, capacity);
        }
        FileBlobStore.fsyncDirectory(dir);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        active = new Segment(sequence, file, channel, capacity);
        segments.put(sequence, active);
        topUpSpares();
    }

    /** A prepared spare: from the pool, else the one being prepared (waiting for it), else none. */
    private Path takeSpare() throws IOException {
        Path spare = spares.poll();
        spareCount = spares.size();
        if (spare != null || preparing == null) {
            return spare;
        }
        try {
            return preparing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while a journal segment was being prepared", e);
        } catch (ExecutionException | CancellationException e) {
            return null; // the caller prepares its own
        } finally {
            preparing = null;
        }
    }

    /** Starts preparing one more spare in the background if the pool is low (under the append lock). */
    private void topUpSpares() {
        if (preparing != null && preparing.isDone()) {
            try {
                spares.add(preparing.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | CancellationException e) {
                // Retried below; an append that needs a segment meanwhile prepares its own.
            }
            preparing = null;
        }
        spareCount = spares.size();
        if (preparing == null && spares.size() < SPARE_SEGMENTS && !closed) {
            String name = UUID.randomUUID().toString();
            Path temp = dir.resolve(PREPARING + name + SUFFIX);
            Path spare = dir.resolve(FRESH + name + SUFFIX);
            preparing = preparer.submit(() -> {
                try {
                    // Writing a segment of zeros slows the syncs of appends running meanwhile:
                    // while a spare is left, wait for a pause in appends first.
                    while (spareCount > 0 && System.nanoTime() - lastAppendNanos < QUIET_NANOS) {
                        Thread.sleep(QUIET_NANOS / 1_000_000 / 4);
                    }
                    prepare(temp, segmentSize);
                    Files.move(temp, spare);
                    return spare;
                } catch (IOException | RuntimeException | InterruptedException e) {
                    Files.deleteIfExists(temp);
                    throw e;
                }
            });
        }
    }

    /** Writes the whole file once (zeros) and syncs it, so appends never allocate blocks or grow it. */
    private static void prepare(Path file, long capacity) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocateDirect(COPY_CHUNK);
            for (long at = 0; at < capacity; ) {
                zeros.clear().limit((int) Math.min(COPY_CHUNK, capacity - at));
                at += writeFully(channel, zeros, at);
            }
            channel.force(true);
        }
    }

    /**
     * The owner has moved this entry's content to its lasting place. Settling an entry twice,
     * or one of a segment already recycled, does nothing.
     */
    public void settle(Entry entry) throws IOException {
        Segment segment;
        synchronized (appendLock) {
            segment = segments.get(entry.sequence());
        }
        if (segment == null) {
            return;
        }
        synchronized (segment.counts) {
            if (!segment.settled.add(entry.offset())) {
                return;
            }
        }
        try {
            noteSettled(entry);
        } catch (IOException | RuntimeException e) {
            synchronized (segment.counts) {
                segment.settled.remove(entry.offset()); // not settled: the caller may try again
            }
            throw e;
        }
        if (segment.allSettled()) {
            synchronized (appendLock) {
                if (segment.sealed && segments.get(segment.sequence) == segment && segment.allSettled()) {
                    try {
                        retire(segment);
                    } catch (IOException e) {
                        // The entry is settled all the same; the file is dealt with at the next start.
                    }
                }
            }
        }
    }

    /**
     * Notes a settled entry in the side file; no sync ({@link #syncSettled}): losing the note only
     * means the entry comes back after a crash. When the file has grown past
     * {@code settledLogLimit} it is rewritten with the notes of the segments still here (those of
     * retired segments are of no use).
     */
    private void noteSettled(Entry entry) throws IOException {
        ByteBuffer note = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(entry.sequence()).putLong(entry.offset()).flip();
        synchronized (settledLock) {
            while (note.hasRemaining()) {
                settledLog.write(note);
            }
            if (settledLog.position() > settledLogLimit) {
                rewriteSettledLog();
            }
        }
    }

    /**
     * Makes the notes of the entries settled so far durable. A caller that settles an entry whose
     * coming back would do harm after a later one stayed settled (an older version of an object
     * replayed after its newer version was kept) syncs in between: without, a power cut can keep
     * a later note and lose an earlier one.
     */
    public void syncSettled() throws IOException {
        synchronized (settledLock) {
            settledLog.force(false);
        }
    }

    /**
     * Writes the settled notes of the segments still here to a fresh side file that replaces the
     * old one, and appends to it from then on (under the settled lock, then the append lock).
     */
    private void rewriteSettledLog() throws IOException {
        ByteBuffer notes;
        synchronized (appendLock) {
            List<long[]> live = new ArrayList<>();
            for (Segment segment : segments.values()) {
                synchronized (segment.counts) {
                    segment.settled.forEach(offset -> live.add(new long[] {segment.sequence, offset}));
                }
            }
            notes = ByteBuffer.allocate(16 * live.size()).order(ByteOrder.LITTLE_ENDIAN);
            live.forEach(n -> notes.putLong(n[0]).putLong(n[1]));
            notes.flip();
        }
        Path fresh = dir.resolve(SETTLED_FILE + ".new");
        try (FileChannel out = FileChannel.open(fresh, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            while (notes.hasRemaining()) {
                out.write(notes);
            }
            // Whole on the device before it replaces the old file: a torn rewrite could keep a
            // later note and lose an earlier one (see syncSettled).
            out.force(true);
        }
        Files.move(fresh, dir.resolve(SETTLED_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        if (settledLog != null) {
            settledLog.close();
        }
        settledLog = FileChannel.open(dir.resolve(SETTLED_FILE), StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    /**
     * A sealed segment with everything settled: kept as a spare (renamed: recovery ignores its
     * entries, its name keeps the sequence from being reused) or deleted (under the append lock).
     */
    private void retire(Segment segment) throws IOException {
        segments.remove(segment.sequence);
        segment.channel.close();
        if (segment.capacity == segmentSize && !segment.failed && spares.size() < KEPT_SEGMENTS) {
            Path spare = dir.resolve(RECYCLED + String.format("%019d", segment.sequence) + SUFFIX);
            Files.move(segment.file, spare);
            spares.addFirst(spare); // reused before fresh ones: the same few files over and over
            spareCount = spares.size();
        } else {
            Files.delete(segment.file);
        }
    }

    /** Copies an entry's payload to {@code out} (through a channel of its own: an interrupt here closes nothing shared). */
    public void copyPayload(Entry entry, OutputStream out) throws IOException {
        try (InputStream in = openPayload(entry)) {
            in.transferTo(out);
        }
    }

    /**
     * The entry's object bytes to read (e.g. to parse them where they are, in the page cache the
     * append left them in, instead of from a copy). Unbuffered: reads go to the segment as asked.
     */
    public InputStream openPayload(Entry entry) throws IOException {
        Segment segment;
        synchronized (appendLock) {
            segment = segments.get(entry.sequence());
        }
        if (segment == null) {
            throw new IOException("journal segment " + entry.sequence() + " is gone (its entries were settled)");
        }
        return new PayloadStream(FileChannel.open(segment.file, StandardOpenOption.READ),
                entry.offset() + HEADER + entry.meta().length, entry.payloadLength());
    }

    /** A range of a segment file as a stream, read with positional reads (the channel is this stream's own). */
    private static final class PayloadStream extends InputStream {
        /** Below half a G1 region (1 MiB with a small heap), so the buffer is an ordinary young object. */
        private static final int TRANSFER_CHUNK = 256 * 1024;
        private final FileChannel channel;
        private final long end;
        private long position;

        PayloadStream(FileChannel channel, long start, long length) {
            this.channel = channel;
            this.position = start;
            this.end = start + length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            if (length == 0) {
                return 0;
            }
            if (position >= end) {
                return -1;
            }
            ByteBuffer into = ByteBuffer.wrap(bytes, offset, (int) Math.min(length, end - position));
            int n = channel.read(into, position);
            if (n < 0) {
                throw new EOFException("journal segment ends inside an entry's payload");
            }
            position += n;
            return n;
        }

        @Override
        public long skip(long n) {
            long skipped = Math.max(0, Math.min(n, end - position));
            position += skipped;
            return skipped;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, end - position);
        }

        /**
         * In pieces of up to {@link #TRANSFER_CHUNK}: InputStream's own moves 8 KiB per read, 64
         * positional reads for each CT slice copied into storage.
         */
        @Override
        public long transferTo(OutputStream out) throws IOException {
            byte[] buffer = new byte[(int) Math.min(TRANSFER_CHUNK, Math.max(1, end - position))];
            long total = 0;
            for (int n; (n = read(buffer, 0, buffer.length)) > 0; ) {
                out.write(buffer, 0, n);
                total += n;
            }
            return total;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** Segments in use (tests, health). */
    public int segmentCount() {
        synchronized (appendLock) {
            return segments.size();
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        preparer.shutdownNow();
        try {
            // A preparation cut short deletes its file; let it, so nothing writes here after close.
            preparer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (appendLock) {
            if (preparing != null) {
                preparing.cancel(true);
                preparing = null;
            }
            for (Segment segment : segments.values()) {
                segment.channel.close();
            }
        }
        synchronized (settledLock) {
            if (settledLog != null) {
                settledLog.close();
            }
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position);
            if (n < 0) {
                throw new IOException("journal segment ends early");
            }
            position += n;
        }
    }

    /** Writes {@code buffers} at {@code position} with as few system calls as it takes (one, mostly); returns the bytes written. */
    private static long writeGathered(FileChannel channel, long position, ByteBuffer... buffers) throws IOException {
        channel.position(position);
        long total = 0;
        while (buffers[buffers.length - 1].hasRemaining()) {
            total += channel.write(buffers);
        }
        return total;
    }

    private static int writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        int total = 0;
        while (buffer.hasRemaining()) {
            int n = channel.write(buffer, position);
            position += n;
            total += n;
        }
        return total;
    }
}
