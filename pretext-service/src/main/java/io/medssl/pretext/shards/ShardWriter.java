package io.medssl.pretext.shards;

import io.medssl.imaging.Npz;
import io.medssl.pretext.tasks.PretextSample;
import io.medssl.storage.BlobStore;
import java.io.IOException;
import java.util.List;

/**
 * Writes a pretext shard as NumPy {@code .npz}: {@code x} float32 (N, 1, S, S) inputs in [0, 1],
 * {@code y} int64 (N) class labels. {@code numpy.load} and DJL's {@code NDList.decode} read it.
 */
public final class ShardWriter {
    private ShardWriter() {
    }

    public static void write(BlobStore store, String key, List<PretextSample> samples, int size) throws IOException {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("a shard needs at least one sample");
        }
        int n = samples.size();
        float[] x = new float[n * size * size];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            PretextSample s = samples.get(i);
            if (s.input().length != size * size) {
                throw new IllegalArgumentException("sample " + i + " is not " + size + "x" + size);
            }
            System.arraycopy(s.input(), 0, x, i * size * size, size * size);
            y[i] = s.label();
        }
        store.put(key, out -> {
            try (Npz.Writer npz = new Npz.Writer(out)) {
                npz.putFloat32("x", x, n, 1, size, size);
                npz.putInt64("y", y, n);
            }
        });
    }
}
