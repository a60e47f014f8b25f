package io.medssl.trainer.ssl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.medssl.contracts.PretextShardReady;
import io.medssl.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The samples of a set of shards, on the host: inputs {@code (N, 1, S, S)} flattened, labels
 * {@code (N)}. Shards are read with DJL's own NumPy reader ({@code NDList.decode}), the same path
 * any DJL user would take with pretext-service's files.
 */
public record PretextData(int size, float[] x, long[] y) {

    public int count() {
        return y.length;
    }

    public static PretextData load(BlobStore store, List<PretextShardReady> shards, int size) throws IOException {
        int total = shards.stream().mapToInt(PretextShardReady::samples).sum();
        float[] x = new float[total * size * size];
        long[] y = new long[total];
        int at = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            for (PretextShardReady shard : shards) {
                NDList arrays;
                try (InputStream in = store.open(shard.key())) {
                    arrays = NDList.decode(manager, in);
                }
                NDArray xs = named(arrays, "x", 0);
                NDArray ys = named(arrays, "y", 1);
                long n = ys.getShape().get(0);
                if (n != shard.samples() || xs.getShape().get(0) != n || xs.getShape().size() != n * size * size) {
                    throw new IOException("shard " + shard.shardId() + " does not hold " + shard.samples()
                            + " samples of " + size + "x" + size + ": x" + xs.getShape() + " y" + ys.getShape());
                }
                System.arraycopy(xs.toFloatArray(), 0, x, at * size * size, (int) n * size * size);
                System.arraycopy(ys.toLongArray(), 0, y, at, (int) n);
                at += (int) n;
                arrays.close();
            }
        }
        return new PretextData(size, x, y);
    }

    private static NDArray named(NDList list, String name, int fallbackIndex) {
        NDArray byName = list.get(name);
        return byName != null ? byName : list.get(fallbackIndex);
    }
}
