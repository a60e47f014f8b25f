package io.medssl.inference.batching;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Dynamic batching in front of one model version. Requests wait in a bounded queue; a worker takes
 * the first waiting request, then whatever else arrives within {@code maxDelay} (up to
 * {@code maxBatch}), and runs them through the model as one batch. With {@code maxDelay} 0 a lone
 * request goes through at once (no added latency) and batches form only under load. A full queue
 * refuses the request immediately rather than letting latency grow without bound.
 *
 * @param <I> one request's input
 * @param <O> one request's output
 */
public final class BatchingPredictor<I, O> implements AutoCloseable {
    private record Pending<I, O>(I input, CompletableFuture<O> result) {
    }

    private final BlockingQueue<Pending<I, O>> queue;
    private final Function<List<I>, List<O>> model;
    private final int maxBatch;
    private final long maxDelayNanos;
    private final Thread worker;
    private volatile boolean closing;

    public BatchingPredictor(String name, Function<List<I>, List<O>> model, int queueCapacity, int maxBatch, long maxDelayMicros) {
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.model = model;
        this.maxBatch = maxBatch;
        this.maxDelayNanos = TimeUnit.MICROSECONDS.toNanos(maxDelayMicros);
        this.worker = new Thread(this::run, "batcher-" + name);
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /** Queues one request; the future completes with its output or the model's exception. */
    public CompletableFuture<O> submit(I input) {
        if (closing) {
            throw new QueueFullException("model version is being retired");
        }
        CompletableFuture<O> result = new CompletableFuture<>();
        if (!queue.offer(new Pending<>(input, result))) {
            throw new QueueFullException("request queue is full (" + (queue.size()) + " waiting)");
        }
        return result;
    }

    private void run() {
        List<Pending<I, O>> batch = new ArrayList<>(maxBatch);
        while (!closing || !queue.isEmpty()) {
            try {
                Pending<I, O> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + maxDelayNanos;
                while (batch.size() < maxBatch) {
                    Pending<I, O> next = maxDelayNanos == 0 ? queue.poll()
                            : queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                runBatch(batch);
            } catch (InterruptedException e) {
                if (closing) {
                    break;
                }
            } finally {
                batch.clear();
            }
        }
        // Anything left after an interrupt must not hang its caller.
        for (Pending<I, O> p; (p = queue.poll()) != null; ) {
            p.result().completeExceptionally(new QueueFullException("model version retired"));
        }
    }

    private void runBatch(List<Pending<I, O>> batch) {
        try {
            List<O> outputs = model.apply(batch.stream().map(Pending::input).toList());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(outputs.get(i));
            }
        } catch (Throwable e) {
            // Errors too (an OutOfMemoryError in the native forward pass): the worker must survive.
            batch.forEach(p -> p.result().completeExceptionally(e));
        }
    }

    /** Stops taking requests, finishes those already queued, then stops the worker. */
    @Override
    public void close() {
        closing = true;
        try {
            worker.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        worker.interrupt();
        // A request that slipped in while the worker was exiting is answered, not left hanging.
        for (Pending<I, O> p; (p = queue.poll()) != null; ) {
            p.result().completeExceptionally(new QueueFullException("model version retired"));
        }
    }
}
