package io.medssl.inference.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BatchingPredictorTest {

    @Test
    void concurrentRequestsAreBatchedAndEachGetsItsOwnAnswer() throws Exception {
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        try (var predictor = new BatchingPredictor<Integer, Integer>("t", inputs -> {
            await(release);
            batchSizes.add(inputs.size());
            return inputs.stream().map(i -> i * 10).toList();
        }, 64, 8, 0)) {
            List<CompletableFuture<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                results.add(predictor.submit(i));
            }
            release.countDown();
            for (int i = 0; i < 20; i++) {
                assertThat(results.get(i).get(5, TimeUnit.SECONDS)).isEqualTo(i * 10);
            }
        }
        // The first request ran alone (the worker was already blocked on it); the rest in batches of at most 8.
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(20);
        assertThat(batchSizes).allSatisfy(size -> assertThat(size).isBetween(1, 8));
        assertThat(batchSizes.size()).isLessThan(20);
    }

    @Test
    void aFullQueueRefusesAtOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (var predictor = new BatchingPredictor<Integer, Integer>("t", inputs -> {
            await(release);
            return inputs;
        }, 2, 1, 0)) {
            predictor.submit(1); // taken by the worker, which blocks
            Thread.sleep(100);
            predictor.submit(2);
            predictor.submit(3);
            assertThatThrownBy(() -> predictor.submit(4)).isInstanceOf(QueueFullException.class);
            release.countDown();
        }
    }

    @Test
    void aModelFailureFailsOnlyItsBatch() throws Exception {
        try (var predictor = new BatchingPredictor<Integer, Integer>("t", inputs -> {
            if (inputs.contains(13)) {
                throw new IllegalStateException("unlucky");
            }
            return inputs;
        }, 8, 1, 0)) {
            var bad = predictor.submit(13);
            var good = predictor.submit(7);
            assertThatThrownBy(() -> bad.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("unlucky");
            assertThat(good.get(5, TimeUnit.SECONDS)).isEqualTo(7);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
