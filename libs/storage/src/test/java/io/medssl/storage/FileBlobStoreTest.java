package io.medssl.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBlobStoreTest {
    @TempDir
    Path root;

    @Test
    void putThenReadBackAndList() throws IOException {
        var store = new FileBlobStore(root);
        store.put("pixels/a.npy", out -> out.write("hello".getBytes(StandardCharsets.UTF_8)));
        store.put("pixels/sub/b.npy", out -> out.write(1));
        assertThat(store.exists("pixels/a.npy")).isTrue();
        try (var in = store.open("pixels/a.npy")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
        }
        assertThat(store.list("pixels")).containsExactly("pixels/a.npy", "pixels/sub/b.npy");
    }

    @Test
    void aFailedWriteLeavesNothingBehind() throws IOException {
        var store = new FileBlobStore(root);
        assertThatThrownBy(() -> store.put("x/broken.bin", out -> {
            out.write(new byte[100]);
            throw new IOException("disk on fire");
        })).hasMessage("disk on fire");
        assertThat(store.exists("x/broken.bin")).isFalse();
        try (var files = Files.list(root.resolve("x"))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aFailedOverwriteKeepsTheOldContent() throws IOException {
        var store = new FileBlobStore(root);
        store.put("k", out -> out.write('A'));
        assertThatThrownBy(() -> store.put("k", out -> {
            out.write('B');
            throw new IOException("boom");
        }));
        try (var in = store.open("k")) {
            assertThat(in.readAllBytes()).containsExactly('A');
        }
    }

    @Test
    void rarelyReadBlobsAreWrittenWholeWhateverTheirLengthAgainstTheBlockSize() throws IOException {
        var store = new FileBlobStore(root);
        // Direct I/O writes whole blocks: lengths around block and chunk boundaries, and empty.
        int chunk = DirectFileOutputStream.CHUNK;
        int[] lengths = {0, 1, 511, 4095, 4096, 4097, 100_000, chunk - 1, chunk, chunk + 1, 2 * chunk + 12_345};
        var random = new java.util.Random(7);
        for (int length : lengths) {
            byte[] content = new byte[length];
            random.nextBytes(content);
            String key = "archive/" + length + ".bin";
            store.put(key, out -> {
                // Mixed write sizes, as an encoder makes them.
                int at = 0;
                for (int step = 1; at < content.length; step = step * 3 % 70_001 + 1) {
                    int n = Math.min(step, content.length - at);
                    if (n == 1) {
                        out.write(content[at]);
                    } else {
                        out.write(content, at, n);
                    }
                    at += n;
                }
            }, BlobStore.Reading.RARELY);
            store.put(key + ".whole", out -> out.write(content), BlobStore.Reading.RARELY);
            for (String written : java.util.List.of(key, key + ".whole")) {
                assertThat(Files.size(store.localPath(written))).as(written).isEqualTo(length);
                try (var in = store.open(written)) {
                    assertThat(in.readAllBytes()).as(written).isEqualTo(content);
                }
            }
        }
        assertThat(store.list("archive")).as("no .part left").hasSize(2 * lengths.length);
    }

    @Test
    void aFailedRarelyReadWriteLeavesNothingAndTheNextOneWorks() throws IOException {
        var store = new FileBlobStore(root);
        assertThatThrownBy(() -> store.put("archive/broken.bin", out -> {
            out.write(new byte[DirectFileOutputStream.CHUNK + 10]);
            throw new IOException("sender went away");
        }, BlobStore.Reading.RARELY)).hasMessage("sender went away");
        assertThat(store.list("archive")).isEmpty();
        try (var files = Files.list(root.resolve("archive"))) {
            assertThat(files).isEmpty();
        }
        store.put("archive/next.bin", out -> out.write(new byte[] {1, 2, 3}), BlobStore.Reading.RARELY);
        try (var in = store.open("archive/next.bin")) {
            assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
        }
    }

    @Test
    void putFileMovesTheFileIn() throws IOException {
        var store = new FileBlobStore(root.resolve("store"));
        Path incoming = Files.writeString(root.resolve("incoming.dcm"), "dicom");
        store.putFile("originals/1.dcm", incoming);
        assertThat(incoming).doesNotExist();
        assertThat(store.localPath("originals/1.dcm")).hasContent("dicom");
    }

    @Test
    void keysCannotEscapeTheRoot() {
        var store = new FileBlobStore(root);
        assertThatThrownBy(() -> store.localPath("../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.localPath("/abs")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.localPath("")).isInstanceOf(IllegalArgumentException.class);
    }
}
