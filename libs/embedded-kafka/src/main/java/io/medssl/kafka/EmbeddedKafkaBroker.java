package io.medssl.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Apache Kafka broker (KRaft: broker and controller in one node) running inside
 * this JVM, on loopback ports. Used by Quarkus tests ({@link KafkaBrokerTestResource}) and by the
 * one-machine launcher. It is Kafka's own server code, not a stand-in.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final int PORT_ATTEMPTS = 5;

    private final Path logDir;
    private final boolean deleteOnClose;
    private KafkaRaftServer server;
    private String bootstrapServers;

    private EmbeddedKafkaBroker(Path logDir, boolean deleteOnClose) {
        this.logDir = logDir;
        this.deleteOnClose = deleteOnClose;
    }

    /** Starts a broker with a throw-away log directory; returns once it accepts clients. */
    public static EmbeddedKafkaBroker start() {
        try {
            return start(Files.createTempDirectory("medssl-kafka-"), true, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a broker whose data lives in {@code logDir} (kept on close, so topics survive a
     * restart of the launcher). {@code port} 0 picks a free loopback port.
     */
    public static EmbeddedKafkaBroker start(Path logDir, boolean deleteOnClose, int port) {
        // A fatal broker error must not halt the JVM that hosts tests or the launcher.
        Exit.setExitProcedure((status, message) -> {
            throw new IllegalStateException("Kafka broker requested exit(" + status + "): " + message);
        });
        Exit.setHaltProcedure((status, message) -> {
            throw new IllegalStateException("Kafka broker requested halt(" + status + "): " + message);
        });
        RuntimeException last = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(logDir, deleteOnClose);
            try {
                broker.startOn(port == 0 ? freePort() : port, freePort());
                return broker;
            } catch (RuntimeException e) {
                // Most likely another process took a port between probing and binding.
                last = e;
                broker.stopServer();
                if (port != 0) {
                    break;
                }
            }
        }
        throw new IllegalStateException("Kafka broker did not start", last);
    }

    private void startOn(int brokerPort, int controllerPort) {
        try {
            Files.createDirectories(logDir);
            Properties props = new Properties();
            props.put("process.roles", "broker,controller");
            props.put("node.id", "1");
            props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
            props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
            props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
            props.put("controller.listener.names", CONTROLLER_LISTENER);
            props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
            props.put("inter.broker.listener.name", "PLAINTEXT");
            props.put("log.dirs", logDir.toString());
            props.put("offsets.topic.replication.factor", "1");
            props.put("offsets.topic.num.partitions", "4");
            props.put("transaction.state.log.replication.factor", "1");
            props.put("transaction.state.log.min.isr", "1");
            props.put("share.coordinator.state.topic.replication.factor", "1");
            props.put("share.coordinator.state.topic.min.isr", "1");
            props.put("num.partitions", "1");
            props.put("auto.create.topics.enable", "true");
            props.put("group.initial.rebalance.delay.ms", "0");
            // The default 128 MB dedupe buffer costs ~150 MB of RSS for nothing at this scale.
            props.put("log.cleaner.dedupe.buffer.size", "2097152");
            KafkaConfig config = KafkaConfig.fromProps(props, false);

            if (!Files.exists(logDir.resolve("meta.properties"))) {
                new Formatter()
                        .setNodeId(1)
                        .setClusterId(Uuid.randomUuid().toString())
                        .setDirectories(List.of(logDir.toString()))
                        .setControllerListenerName(CONTROLLER_LISTENER)
                        .setMetadataLogDirectory(logDir.toString())
                        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                        .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                        .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                        .run();
            }
            server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            bootstrapServers = "127.0.0.1:" + brokerPort;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("could not format or start the Kafka broker: " + e.getMessage(), e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** host:port for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Path logDir() {
        return logDir;
    }

    private void stopServer() {
        if (server != null) {
            try {
                server.shutdown();
                server.awaitShutdown();
            } catch (RuntimeException ignored) {
                // Shutting down after a failed start may itself fail; nothing more to do.
            }
            server = null;
        }
    }

    @Override
    public void close() {
        stopServer();
        if (deleteOnClose) {
            try (Stream<Path> files = Files.walk(logDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // Best effort: it is a temp folder.
            }
        }
    }
}
