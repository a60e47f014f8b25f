package io.medssl.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncomingObjectTest {
    @TempDir
    Path incoming;

    private static byte[] content(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    /** Writes in PDV-sized pieces, as the association does. */
    private static IncomingObject received(Path dir, byte[] content, byte[] reuse) throws Exception {
        IncomingObject object = new IncomingObject(dir, reuse);
        for (int at = 0; at < content.length; at += 16_372) {
            object.write(content, at, Math.min(16_372, content.length - at));
        }
        object.finish();
        return object;
    }

    private static byte[] read(IncomingObject object) throws Exception {
        try (InputStream in = object.open()) {
            return in.readAllBytes();
        }
    }

    @Test
    void aSliceStaysInMemoryAndBecomesAFileOnlyWhenAsked() throws Exception {
        byte[] content = content(525_000);
        IncomingObject object = received(incoming, content, null);
        assertThat(object.inMemory()).isTrue();
        assertThat(object.length()).isEqualTo(content.length);
        try (var files = Files.list(incoming)) {
            assertThat(files).as("nothing written to disk").isEmpty();
        }
        ByteBuffer bytes = object.bytes();
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        assertThat(copy).isEqualTo(content);
        assertThat(read(object)).isEqualTo(content);

        Path file = object.file();
        assertThat(file.getParent()).isEqualTo(incoming);
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
        assertThat(object.file()).as("written once").isEqualTo(file);
        object.discard();
        assertThat(file).doesNotExist();
    }

    @Test
    void theNextObjectReusesTheMemoryAndGetsOnlyItsOwnBytes() throws Exception {
        IncomingObject first = received(incoming, content(600_000), null);
        byte[] second = content(1_000);
        IncomingObject next = received(incoming, second, first.buffer());
        assertThat(next.buffer()).isSameAs(first.buffer());
        assertThat(next.length()).isEqualTo(second.length);
        assertThat(read(next)).isEqualTo(second);
    }

    @Test
    void anObjectBeyondTheMemoryLimitGoesToAFileAsItArrives() throws Exception {
        byte[] content = content(IncomingObject.MEMORY_LIMIT + 100_001);
        IncomingObject object = received(incoming, content, null);
        assertThat(object.inMemory()).isFalse();
        assertThat(object.fileIfAny()).isNotNull().exists();
        assertThat(object.length()).isEqualTo(content.length);
        assertThat(read(object)).isEqualTo(content);
        object.discard();
        try (var files = Files.list(incoming)) {
            assertThat(files).as("a discarded object leaves no file").isEmpty();
        }
    }
}
