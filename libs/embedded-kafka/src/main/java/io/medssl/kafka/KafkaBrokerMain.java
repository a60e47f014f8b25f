package io.medssl.kafka;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the embedded broker as its own process: {@code KafkaBrokerMain <logDir> <port>}. Prints
 * {@code BOOTSTRAP=<host:port>} once ready and runs until killed.
 */
public final class KafkaBrokerMain {
    private KafkaBrokerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path logDir = Path.of(args.length > 0 ? args[0] : "data/kafka");
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 9092;
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(logDir, false, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "kafka-broker-shutdown"));
        System.out.println("BOOTSTRAP=" + broker.bootstrapServers());
        System.out.flush();
        stopped.await();
    }
}
