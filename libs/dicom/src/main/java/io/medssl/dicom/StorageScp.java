package io.medssl.dicom;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DICOM storage node: answers C-ECHO and C-STORE for every storage SOP class on its called AE
 * title(s) and port. The one place where the node is set up (address, AE titles, who may call,
 * how many at once, accepted presentation contexts); what happens to each object is the
 * {@link ReceivedInstanceHandler}'s business, and the sender gets the handler's answer as the
 * C-STORE status.
 *
 * <p>All transfer syntaxes in {@link StorePresentationContextPolicy#STORABLE} are accepted,
 * including ones MedSSL cannot decode (JPEG-LS): such an object is still kept and indexed, only
 * marked undecodable.
 *
 * <p>Associations run on a bounded pool of {@link Settings#maxAssociations()} threads. A caller
 * that finds every slot taken is not queued: its A-ASSOCIATE-RQ is answered with A-ASSOCIATE-RJ
 * (rejected-transient, service provider, local limit exceeded), so its send queue retries later
 * instead of hanging on a connection nobody reads. Every socket has TCP_NODELAY (with Nagle, small
 * DIMSE responses stall for the peer's delayed ACK: storescu sends 22 instead of ~300 objects/s).
 */
public final class StorageScp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StorageScp.class);

    /** Connections answered with a transient rejection at once; beyond that they are just closed. */
    private static final int REFUSERS = 4;
    private static final int REFUSE_TIMEOUT_MILLIS = 5_000;

    /**
     * How the node listens and whom it lets in.
     *
     * @param host address to bind ({@code 0.0.0.0}: every interface)
     * @param port TCP port (0: any free one, see {@link StorageScp#port()})
     * @param calledAeTitles the AE titles this node answers to; any other is rejected (called AE title not recognized)
     * @param allowedCallingAeTitles who may associate; empty: everyone. Others are rejected (calling AE title not recognized)
     * @param maxAssociations associations served at once; more are rejected transiently
     * @param idleTimeout how long an association may stay silent (awaiting its A-ASSOCIATE-RQ or the next PDU) before it is aborted
     */
    public record Settings(String host, int port, Set<String> calledAeTitles, Set<String> allowedCallingAeTitles,
                           int maxAssociations, Duration idleTimeout) {
        public Settings {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("DICOM host must not be blank (0.0.0.0 for every interface)");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("DICOM port out of range: " + port);
            }
            calledAeTitles = aeTitles(calledAeTitles, "called");
            if (calledAeTitles.isEmpty()) {
                throw new IllegalArgumentException("the DICOM node needs an AE title");
            }
            allowedCallingAeTitles = aeTitles(allowedCallingAeTitles, "allowed calling");
            if (maxAssociations < 1) {
                throw new IllegalArgumentException("max associations must be at least 1, was " + maxAssociations);
            }
            if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero() || idleTimeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("idle timeout must be positive, was " + idleTimeout);
            }
        }

        /** One AE title on every interface, anyone may call, 16 associations, 30 s idle timeout. */
        public static Settings of(String aeTitle, int port) {
            return new Settings("0.0.0.0", port, Set.of(aeTitle), Set.of(), 16, Duration.ofSeconds(30));
        }

        public Settings withHost(String host) {
            return new Settings(host, port, calledAeTitles, allowedCallingAeTitles, maxAssociations, idleTimeout);
        }

        public Settings withCalledAeTitles(Set<String> titles) {
            return new Settings(host, port, titles, allowedCallingAeTitles, maxAssociations, idleTimeout);
        }

        public Settings withAllowedCallingAeTitles(Set<String> titles) {
            return new Settings(host, port, calledAeTitles, titles, maxAssociations, idleTimeout);
        }

        public Settings withMaxAssociations(int max) {
            return new Settings(host, port, calledAeTitles, allowedCallingAeTitles, max, idleTimeout);
        }

        public Settings withIdleTimeout(Duration timeout) {
            return new Settings(host, port, calledAeTitles, allowedCallingAeTitles, maxAssociations, timeout);
        }

        /** AE titles are compared without padding; one longer than 16 characters could never match, so it is a configuration error. */
        private static Set<String> aeTitles(Set<String> titles, String what) {
            Set<String> clean = new LinkedHashSet<>();
            for (String t : titles == null ? Set.<String>of() : titles) {
                String s = t == null ? "" : t.strip();
                if (s.isEmpty() || s.length() > 16 || s.chars().anyMatch(c -> c < 0x20 || c > 0x7E || c == '\\')) {
                    throw new IllegalArgumentException("not a valid " + what + " AE title (1-16 printable ASCII characters, no backslash): '" + t + "'");
                }
                clean.add(s);
            }
            return Set.copyOf(clean);
        }
    }

    private final Settings settings;
    private final Path incomingDir;
    private final ReceivedInstanceHandler handler;
    private final Consumer<Throwable> onError;
    private final ServerSocket server;
    private final Semaphore slots;
    private final Semaphore refusers = new Semaphore(REFUSERS);
    private final ExecutorService workers;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    private StorageScp(Settings settings, Path incomingDir, ReceivedInstanceHandler handler, Consumer<Throwable> onError,
                       ServerSocket server) {
        this.settings = settings;
        this.incomingDir = incomingDir;
        this.handler = handler;
        this.onError = onError;
        this.server = server;
        this.slots = new Semaphore(settings.maxAssociations());
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dicom-" + server.getLocalPort() + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, "dicom-accept-" + server.getLocalPort());
        this.acceptor.setDaemon(true);
    }

    /**
     * Binds the port and starts accepting; returns once connections are accepted.
     *
     * @param incomingDir where received objects too large to keep in memory are written as they arrive (and objects a
     *                    handler asks a file of, see {@link IncomingObject})
     * @param onError told about a handler that threw (the sender then gets 0xA700)
     */
    public static StorageScp start(Settings settings, Path incomingDir, ReceivedInstanceHandler handler,
                                   Consumer<Throwable> onError) throws IOException {
        Files.createDirectories(incomingDir);
        ServerSocket server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByName(settings.host()), settings.port()), 128);
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen for DICOM on " + settings.host() + ":" + settings.port() + ": " + e.getMessage(), e);
        }
        StorageScp scp = new StorageScp(settings, incomingDir, handler, onError, server);
        scp.acceptor.start();
        return scp;
    }

    /** {@link Settings#of(String, int)}: one AE title, every interface, anyone may call. */
    public static StorageScp start(String aeTitle, int port, Path incomingDir, ReceivedInstanceHandler handler,
                                   Consumer<Throwable> onError) throws IOException {
        return start(Settings.of(aeTitle, port), incomingDir, handler, onError);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                LOG.error("DICOM accept failed: {}", e.toString());
                sleepQuietly(100); // e.g. out of file descriptors: don't spin
                continue;
            }
            try {
                socket.setTcpNoDelay(true);
            } catch (IOException e) {
                closeQuietly(socket);
                continue;
            }
            if (slots.tryAcquire()) {
                dispatch(socket, slots, () -> new ScpAssociation(this, socket).serve());
            } else if (refusers.tryAcquire()) {
                ScpAssociation.Rejection busy = new ScpAssociation.Rejection(Acse.REJECTED_TRANSIENT,
                        Acse.SOURCE_SERVICE_PROVIDER_PRESENTATION, Acse.REASON_LOCAL_LIMIT_EXCEEDED,
                        "all " + settings.maxAssociations() + " association slots are busy (rejected-transient, local limit exceeded)");
                dispatch(socket, refusers, () -> new ScpAssociation(this, socket).refuse(busy, REFUSE_TIMEOUT_MILLIS));
            } else {
                LOG.warn("DICOM connection from {} dropped: association slots and refusers all busy", socket.getInetAddress());
                closeQuietly(socket);
            }
        }
    }

    private void dispatch(Socket socket, Semaphore permit, Runnable work) {
        open.add(socket);
        try {
            workers.execute(() -> {
                try {
                    work.run();
                } finally {
                    closeQuietly(socket);
                    open.remove(socket);
                    permit.release();
                }
            });
        } catch (RejectedExecutionException e) {
            closeQuietly(socket);
            open.remove(socket);
            permit.release();
        }
    }

    /** Null if the association may proceed, else why not (checked in this order: called AE, calling AE). */
    ScpAssociation.Rejection admit(String callingAeTitle, String calledAeTitle) {
        if (!settings.calledAeTitles().contains(calledAeTitle)) {
            return new ScpAssociation.Rejection(Acse.REJECTED_PERMANENT, Acse.SOURCE_SERVICE_USER,
                    Acse.REASON_CALLED_AE_NOT_RECOGNIZED, "called AE title not recognized");
        }
        if (!settings.allowedCallingAeTitles().isEmpty() && !settings.allowedCallingAeTitles().contains(callingAeTitle)) {
            return new ScpAssociation.Rejection(Acse.REJECTED_PERMANENT, Acse.SOURCE_SERVICE_USER,
                    Acse.REASON_CALLING_AE_NOT_RECOGNIZED, "calling AE title not recognized");
        }
        return null;
    }

    ReceivedInstanceHandler handler() {
        return handler;
    }

    Path incomingDir() {
        return incomingDir;
    }

    int idleTimeoutMillis() {
        return (int) settings.idleTimeout().toMillis();
    }

    void reportHandlerFailure(Throwable t) {
        try {
            onError.accept(t);
        } catch (RuntimeException ignored) {
            // A failing error reporter must not take the association down.
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** The port actually bound (differs from the setting when that was 0). */
    public int port() {
        return server.getLocalPort();
    }

    public Settings settings() {
        return settings;
    }

    /** Associations being served now (at most {@link Settings#maxAssociations()}). */
    public int activeAssociations() {
        return settings.maxAssociations() - slots.availablePermits();
    }

    public boolean isListening() {
        return !closed && !server.isClosed() && acceptor.isAlive();
    }

    /** Stops accepting, aborts open associations (their partial files are deleted) and waits briefly for them. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(server);
        for (Socket s : open) {
            closeQuietly(s);
        }
        workers.shutdownNow();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("DICOM node on port {}: some associations did not end within 5 s", port());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // Closed is closed.
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
