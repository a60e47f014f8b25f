package io.medssl.trainer.ssl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.medssl.contracts.PretextShardReady;
import io.medssl.contracts.PretextTask;
import io.medssl.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * The samples of one classification task over a set of shards, on the host: inputs
 * {@code (N, 1, S, S)} flattened, labels {@code (N)}. Shards are read with DJL's own NumPy reader
 * ({@code NDList.decode}), the same path any DJL user would take with pretext-service's files;
 * the arrays are found by the names the shard's task descriptor gives.
 */
public record PretextData(int size, float[] x, long[] y) {

    public int count() {
        return y.length;
    }

    /** The descriptor of {@code taskName} in the shard, if the shard has that task. */
    public static Optional<PretextTask> task(PretextShardReady shard, String taskName) {
        return shard.tasks().stream().filter(t -> t.name().equals(taskName)).findFirst();
    }

    public static PretextData load(BlobStore store, List<PretextShardReady> shards, String taskName, int size) throws IOException {
        int total = shards.stream().mapToInt(s -> task(s, taskName).map(PretextTask::samples).orElse(0)).sum();
        float[] x = new float[total * size * size];
        long[] y = new long[total];
        int at = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            for (PretextShardReady shard : shards) {
                Optional<PretextTask> task = task(shard, taskName);
                if (task.isEmpty()) {
                    continue;
                }
                NDList arrays;
                try (InputStream in = store.open(shard.key())) {
                    arrays = NDList.decode(manager, in);
                }
                NDArray xs = arrays.get(task.get().inputArray());
                NDArray ys = arrays.get(task.get().targetArray());
                if (xs == null || ys == null) {
                    throw new IOException("shard " + shard.shardId() + " lacks the arrays of task " + taskName);
                }
                long n = ys.getShape().get(0);
                if (n != task.get().samples() || xs.getShape().get(0) != n || xs.getShape().size() != n * size * size) {
                    throw new IOException("shard " + shard.shardId() + " does not hold " + task.get().samples()
                            + " " + taskName + " samples of " + size + "x" + size + ": x" + xs.getShape() + " y" + ys.getShape());
                }
                System.arraycopy(xs.toFloatArray(), 0, x, at * size * size, (int) n * size * size);
                System.arraycopy(ys.toLongArray(), 0, y, at, (int) n);
                at += (int) n;
                arrays.close();
            }
        }
        return new PretextData(size, x, y);
    }
}
