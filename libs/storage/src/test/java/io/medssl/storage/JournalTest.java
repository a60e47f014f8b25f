package io.medssl.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    private static final int SEGMENT = 64 * 1024;

    @TempDir
    Path tmp;

    private Path file(String name, int size, long seed) throws IOException {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return Files.write(tmp.resolve(name), bytes);
    }

    private static byte[] meta(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] payload(Journal journal, Journal.Entry entry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        journal.copyPayload(entry, out);
        return out.toByteArray();
    }

    private static List<String> metas(List<Journal.Entry> entries) {
        return entries.stream().map(e -> new String(e.meta(), StandardCharsets.UTF_8)).toList();
    }

    private List<Path> journalFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void appendedEntriesSurviveAReopenWithTheirMetaAndBytes() throws Exception {
        Path dir = tmp.resolve("journal");
        List<Path> files = new ArrayList<>();
        try (Journal journal = Journal.open(dir, SEGMENT)) {
            assertThat(journal.recovered()).isEmpty();
            for (int i = 0; i < 5; i++) {
                files.add(file("f" + i, 1000 + 7000 * i, i));
                Journal.Entry entry = journal.append(meta("object-" + i), files.get(i));
                assertThat(payload(journal, entry)).isEqualTo(Files.readAllBytes(files.get(i)));
            }
        }
        try (Journal journal = Journal.open(dir, SEGMENT)) {
            List<Journal.Entry> recovered = journal.recovered();
            assertThat(metas(recovered)).containsExactly("object-0", "object-1", "object-2", "object-3", "object-4");
            for (int i = 0; i < 5; i++) {
                assertThat(payload(journal, recovered.get(i))).isEqualTo(Files.readAllBytes(files.get(i)));
            }
            for (Journal.Entry e : recovered) {
                journal.settle(e);
            }
            assertThat(journal.segmentCount()).isZero();
        }
        try (Journal journal = Journal.open(dir, SEGMENT)) {
            assertThat(journal.recovered()).as("settled entries are not replayed").isEmpty();
        }
    }

    @Test
    void aPayloadReadsAsAStreamOfExactlyItsBytes() throws Exception {
        try (Journal journal = Journal.open(tmp.resolve("journal"), SEGMENT)) {
            Path object = file("object", 70_001, 3);
            byte[] expected = Files.readAllBytes(object);
            Journal.Entry before = journal.append(meta("before"), file("before", 333, 1));
            Journal.Entry entry = journal.append(meta("object"), object);
            journal.append(meta("after"), file("after", 444, 2));
            Journal.Entry empty = journal.append(meta("empty"), file("empty", 0, 4));
            try (var in = journal.openPayload(entry)) {
                ByteArrayOutputStream read = new ByteArrayOutputStream();
                read.write(in.read());
                byte[] some = new byte[1000];
                read.write(some, 0, in.read(some, 0, some.length));
                assertThat(in.skip(5000)).isEqualTo(5000);
                byte[] rest = in.readAllBytes();
                assertThat(in.read()).as("ends with its payload, not the next entry").isEqualTo(-1);
                assertThat(read.toByteArray()).isEqualTo(java.util.Arrays.copyOfRange(expected, 0, 1001));
                assertThat(rest).isEqualTo(java.util.Arrays.copyOfRange(expected, 6001, expected.length));
            }
            try (var in = journal.openPayload(empty)) {
                assertThat(in.read()).isEqualTo(-1);
            }
            assertThat(payload(journal, before)).isEqualTo(Files.readAllBytes(tmp.resolve("before")));
        }
    }

    @Test
    void recoveryStopsAtATornOrCorruptEntry() throws Exception {
        Path dir = tmp.resolve("journal");
        Journal.Entry third;
        try (Journal journal = Journal.open(dir, SEGMENT)) {
            journal.append(meta("a"), file("a", 5000, 1));
            journal.append(meta("b"), file("b", 5000, 2));
            third = journal.append(meta("c"), file("c", 5000, 3));
            journal.append(meta("d"), file("d", 5000, 4));
        }
        // One flipped byte in the third entry's payload: a write that never reached the disk whole.
        Path segment = journalFiles(dir).get(0);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long at = third.offset() + 100;
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, at);
            channel.write(ByteBuffer.wrap(new byte[] {(byte) (one.get(0) ^ 0x5A)}), at);
        }
        try (Journal journal = Journal.open(dir, SEGMENT)) {
            assertThat(metas(journal.recovered())).containsExactly("a", "b");
            // New appends go to a fresh segment, never after the damaged one.
            Journal.Entry e = journal.append(meta("e"), file("e", 100, 5));
            assertThat(e.sequence()).isGreaterThan(third.sequence());
        }
    }

    @Test
    void settledSegmentsAreRecycledAndTheirOldEntriesNeverComeBack() throws Exception {
        Path dir = tmp.resolve("journal");
        try (Journal journal = Journal.open(dir, SEGMENT)) {
            List<Journal.Entry> first = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                first.add(journal.append(meta("old-" + i), file("old" + i, 15_000, i)));
            }
            // The fourth does not fit in the first segment: a new one starts.
            Journal.Entry fourth = journal.append(meta("old-3"), file("old3", 30_000, 3));
            assertThat(fourth.sequence()).isGreaterThan(first.get(0).sequence());
            for (Journal.Entry e : first) {
                journal.settle(e);
            }
            journal.settle(fourth);
            String recycled = String.format("spare-%019d.journal", first.get(0).sequence());
            assertThat(journalFiles(dir)).anyMatch(p -> p.getFileName().toString().equals(recycled));
            // Fill the second segment so the next append takes the spare (the first segment's file,
            // old entries still in it after the new one).
            journal.append(meta("filler"), file("filler", 34_000, 9));
            journal.append(meta("new"), file("new", 2_000, 10));
            assertThat(journalFiles(dir)).noneMatch(p -> p.getFileName().toString().equals(recycled));
        }
        try (Journal journal = Journal.open(dir, SEGMENT)) {
            // old-3 was settled (noted), the recycled segment's earlier entries are stale.
            assertThat(metas(journal.recovered())).containsExactly("filler", "new");
        }
    }

    @Test
    void entriesFollowEachOtherAndTheLastOneFillsItsPageWithZeros() throws Exception {
        Path dir = tmp.resolve("journal");
        List<Journal.Entry> appended = new ArrayList<>();
        byte[] inMemory = new byte[7_003];
        new Random(12).nextBytes(inMemory);
        try (Journal journal = Journal.open(dir, SEGMENT)) {
            // A segment full of other bytes, settled and recycled: the new entries go over them.
            List<Journal.Entry> old = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                old.add(journal.append(meta("old-" + i), file("old" + i, 15_000, i)));
            }
            // Fills the next segment: what follows goes to the recycled one.
            journal.append(meta("filler"), file("filler", 64_000, 9));
            for (Journal.Entry e : old) {
                journal.settle(e);
            }
            appended.add(journal.append(meta("file"), file("odd", 5_001, 10)));
            appended.add(journal.append(meta("memory"), ByteBuffer.wrap(inMemory)));
            appended.add(journal.append(meta("empty"), file("empty", 0, 11)));
            appended.add(journal.append(meta("last"), ByteBuffer.wrap(inMemory, 0, 1_234)));
        }
        Journal.Entry last = appended.get(appended.size() - 1);
        assertThat(appended.get(0).offset()).as("at the start of the recycled segment").isZero();
        for (int i = 0; i + 1 < appended.size(); i++) {
            assertThat(appended.get(i + 1).offset()).isEqualTo(end(appended.get(i)));
        }
        Path segment = dir.resolve(String.format("%019d.journal", last.sequence()));
        long end = end(last);
        long pageEnd = (end + Journal.PAGE - 1) / Journal.PAGE * Journal.PAGE;
        assertThat(end % Journal.PAGE).as("the case worth testing: an entry ending inside a page").isNotZero();
        ByteBuffer tail = ByteBuffer.allocate((int) (pageEnd - end));
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
            assertThat(channel.size()).isGreaterThanOrEqualTo(pageEnd);
            channel.read(tail, end);
        }
        assertThat(tail.array()).as("the rest of the last entry's page: zeros, not the recycled segment's old bytes")
                .containsOnly(0);
        try (Journal journal = Journal.open(dir, SEGMENT)) {
            assertThat(metas(journal.recovered())).containsExactly("filler", "file", "memory", "empty", "last");
            assertThat(payload(journal, journal.recovered().get(2))).isEqualTo(inMemory);
            assertThat(payload(journal, journal.recovered().get(4))).isEqualTo(java.util.Arrays.copyOf(inMemory, 1_234));
        }
    }

    private static long end(Journal.Entry entry) {
        return entry.offset() + Journal.HEADER + entry.meta().length + entry.payloadLength() + Journal.TRAILER;
    }

    private List<String> namesStartingWith(Path dir, String prefix) throws IOException {
        return journalFiles(dir).stream().map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).toList();
    }

    @Test
    void aBacklogsSegmentsAreKeptForReuseEvenWhenFreshSparesAreReady() throws Exception {
        Path dir = tmp.resolve("journal");
        try (Journal journal = Journal.open(dir, SEGMENT)) {
            List<Journal.Entry> backlog = new ArrayList<>();
            for (int i = 0; i < 4; i++) { // one segment each: three full ones behind the active one
                backlog.add(journal.append(meta("backlog-" + i), file("b" + i, 60_000, i)));
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (namesStartingWith(dir, "fresh-").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            List<String> fresh = namesStartingWith(dir, "fresh-");
            assertThat(fresh).as("a spare is prepared in the background").hasSize(1);
            // The backlog is worked off: its three full segments are all kept (up to four spares),
            // not deleted because the pool already had a spare ready, so the next backlog of this
            // size writes no segment of zeros.
            for (Journal.Entry e : backlog) {
                journal.settle(e);
            }
            List<String> recycled = namesStartingWith(dir, "spare-");
            assertThat(recycled).hasSize(3);
            // The next segments are recycled files, before the fresh one; nothing new is prepared.
            journal.append(meta("next-0"), file("n0", 60_000, 10));
            journal.append(meta("next-1"), file("n1", 60_000, 11));
            assertThat(namesStartingWith(dir, "spare-")).hasSizeLessThan(recycled.size());
            assertThat(namesStartingWith(dir, "fresh-")).isEqualTo(fresh);
        }
    }

    @Test
    void anObjectLargerThanASegmentGetsASegmentOfItsOwn() throws Exception {
        Path dir = tmp.resolve("journal");
        Path big = file("big", 3 * SEGMENT, 7);
        try (Journal journal = Journal.open(dir, SEGMENT)) {
            journal.append(meta("small"), file("small", 1000, 6));
            journal.append(meta("big"), big);
            journal.append(meta("after"), file("after", 1000, 8));
            // Copied out in several pieces (more than one transfer buffer).
            Path larger = file("larger", 600_001, 9);
            assertThat(payload(journal, journal.append(meta("larger"), larger))).isEqualTo(Files.readAllBytes(larger));
        }
        try (Journal journal = Journal.open(dir, SEGMENT)) {
            assertThat(metas(journal.recovered())).containsExactly("small", "big", "after", "larger");
            assertThat(payload(journal, journal.recovered().get(1))).isEqualTo(Files.readAllBytes(big));
        }
    }

    @Test
    void concurrentAppendsAreAllDurable() throws Exception {
        Path dir = tmp.resolve("journal");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (Journal journal = Journal.open(dir, SEGMENT)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        journal.append(meta(thread + "-" + i), file("c" + thread + "-" + i, 3000 + i, thread * 100L + i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        try (Journal journal = Journal.open(dir, SEGMENT)) {
            List<Journal.Entry> recovered = journal.recovered();
            assertThat(recovered).hasSize(100);
            for (Journal.Entry e : recovered) {
                String name = new String(e.meta(), StandardCharsets.UTF_8);
                assertThat(payload(journal, e)).isEqualTo(Files.readAllBytes(tmp.resolve("c" + name)));
            }
        }
    }

    @Test
    void settledEntriesAreNotHandedBackAndSettlingTwiceChangesNothing() throws Exception {
        Path dir = tmp.resolve("journal");
        try (Journal journal = Journal.open(dir, SEGMENT)) {
            Journal.Entry a = journal.append(meta("a"), file("a", 20_000, 1));
            journal.append(meta("b"), file("b", 20_000, 2));
            journal.settle(a);
            journal.settle(a);
            // Seal the first segment: b is not settled, so it must stay (a second settle of a
            // must not count for b).
            journal.append(meta("c"), file("c", 40_000, 3));
            assertThat(journal.segmentCount()).isEqualTo(2);
        }
        try (Journal journal = Journal.open(dir, SEGMENT)) {
            assertThat(metas(journal.recovered())).containsExactly("b", "c");
        }
    }

    @Test
    void aRestartNeverReusesTheSequenceOfARecycledSegment() throws Exception {
        Path dir = tmp.resolve("journal");
        // Run 1: two entries, both settled.
        try (Journal journal = Journal.open(dir, SEGMENT)) {
            journal.settle(journal.append(meta("old-1"), file("o1", 10_000, 1)));
            journal.settle(journal.append(meta("old-2"), file("o2", 10_000, 2)));
        }
        // Run 2: nothing appended; the settled segment is recycled as a spare.
        try (Journal journal = Journal.open(dir, SEGMENT)) {
            assertThat(journal.recovered()).isEmpty();
            assertThat(journal.segmentCount()).isZero();
        }
        // Run 3: an entry of the same size lands in the recycled file, in front of the stale old-2.
        try (Journal journal = Journal.open(dir, SEGMENT)) {
            journal.append(meta("new-1"), file("n1", 10_000, 3));
        }
        try (Journal journal = Journal.open(dir, SEGMENT)) {
            assertThat(metas(journal.recovered())).containsExactly("new-1");
        }
    }

    @Test
    void theSettledNotesAreRewrittenWhenTheyGrowAndStillCountAfterAReopen() throws Exception {
        Path dir = tmp.resolve("journal");
        List<String> unsettled = new ArrayList<>();
        // A 64-byte limit: the notes are rewritten every few settles.
        try (Journal journal = Journal.open(dir, SEGMENT, 64)) {
            for (int i = 0; i < 30; i++) {
                Journal.Entry e = journal.append(meta("e" + i), file("e" + i, 9_000, i));
                if (i % 3 == 0) {
                    unsettled.add("e" + i);
                } else {
                    journal.settle(e);
                }
            }
            assertThat(Files.size(dir.resolve("settled.log"))).isLessThanOrEqualTo(64 + 16 * 20);
        }
        try (Journal journal = Journal.open(dir, SEGMENT, 64)) {
            assertThat(metas(journal.recovered())).containsExactlyElementsOf(unsettled);
        }
    }
}
