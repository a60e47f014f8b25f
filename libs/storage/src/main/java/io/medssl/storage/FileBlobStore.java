package io.medssl.storage;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * A {@link BlobStore} on a local or shared file system. Writes go to a {@code .part} file that is
 * fsync'ed and then renamed over the final name, and the folder is fsync'ed too, so a success
 * means the bytes are on disk under their final name. {@link Reading#RARELY Rarely read} blobs are
 * written with direct I/O where the file system allows it ({@link DirectFileOutputStream}), so
 * archiving them does not fill the page cache.
 */
public final class FileBlobStore implements BlobStore {
    private static final Logger LOG = Logger.getLogger(FileBlobStore.class.getName());
    private static final String PART_SUFFIX = ".part";
    private final Path root;
    /** The file system's block size once direct I/O worked here; 0 = not tried yet, -1 = not available. */
    private volatile int directAlignment;

    public FileBlobStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public void put(String key, ContentWriter writer, Reading reading) throws IOException {
        Path target = localPath(key);
        createFolders(target.getParent());
        Path part = target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + PART_SUFFIX);
        try {
            OutputStream direct = reading == Reading.RARELY ? openDirect(part) : null;
            if (direct != null) {
                try (OutputStream out = direct) {
                    writer.writeTo(out);
                }
                try (FileChannel channel = FileChannel.open(part, StandardOpenOption.READ)) {
                    channel.force(true);
                }
            } else {
                try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                     OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
                    writer.writeTo(out);
                    out.flush();
                    channel.force(true);
                }
            }
            moveDurably(part, target);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /**
     * A new file opened for direct I/O, or null where the file system refuses it (then this store
     * writes through the page cache from now on). Whether it works is found out on first use: the
     * JDK knows the option on Linux, macOS and Windows; file systems differ. A refusal counts only
     * when a plain open of the same file then works (a full disk or too many open files is not a
     * reason to give direct I/O up).
     */
    private OutputStream openDirect(Path part) throws IOException {
        int alignment = directAlignment;
        if (alignment < 0) {
            return null;
        }
        try {
            if (alignment == 0) {
                alignment = (int) Files.getFileStore(part.getParent()).getBlockSize();
                if (alignment <= 0 || DirectFileOutputStream.CHUNK % alignment != 0) {
                    throw new UnsupportedOperationException("block size " + alignment);
                }
            }
            FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    ExtendedOpenOption.DIRECT);
            directAlignment = alignment;
            return new DirectFileOutputStream(channel, alignment);
        } catch (IOException | UnsupportedOperationException refused) {
            Files.deleteIfExists(part);
            // Throws what a plain write would have met.
            FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
            Files.delete(part);
            directAlignment = -1;
            LOG.info(() -> "direct I/O not available under " + root + " (" + refused
                    + "): rarely read blobs go through the page cache too");
            return null;
        }
    }

    @Override
    public void putFile(String key, Path source) throws IOException {
        Path target = localPath(key);
        createFolders(target.getParent());
        try (FileChannel channel = FileChannel.open(source, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        try {
            moveDurably(source, target);
        } catch (AtomicMoveNotSupportedException crossDevice) {
            // Another file system: copy through a .part file instead of renaming.
            put(key, out -> Files.copy(source, out));
            Files.delete(source);
        }
    }

    /**
     * Creates {@code folder} and whatever is missing above it, each new one made durable in its
     * parent: a file synced into a folder whose own entry was never synced could vanish with it
     * after a power cut (keys are sharded into many folders, so new ones appear all the time at
     * first).
     */
    private static void createFolders(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            return;
        }
        Path parent = folder.getParent();
        createFolders(parent);
        try {
            Files.createDirectory(folder);
        } catch (FileAlreadyExistsException raced) {
            if (!Files.isDirectory(folder)) {
                throw raced;
            }
            // Another writer created it and may not have synced its parent yet: do it here too.
        }
        fsyncDirectory(parent);
    }

    private static void moveDurably(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDirectory(to.getParent());
    }

    /** Makes a folder's entries (a rename, a new file) durable; shared with {@link Journal}. */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(localPath(key));
    }

    @Override
    public InputStream open(String key) throws IOException {
        try {
            return Files.newInputStream(localPath(key));
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException("no blob under key " + key);
        }
    }

    @Override
    public Path localPath(String key) {
        if (key == null || key.isBlank() || key.startsWith("/") || key.contains("\\")) {
            throw new IllegalArgumentException("invalid storage key: " + key);
        }
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw new IllegalArgumentException("storage key escapes the store: " + key);
        }
        return path;
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        Path dir = localPath(prefix);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().endsWith(PART_SUFFIX))
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        }
    }
}
