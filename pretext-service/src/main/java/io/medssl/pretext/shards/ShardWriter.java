package io.medssl.pretext.shards;

import io.medssl.contracts.PretextTask;
import io.medssl.imaging.Npz;
import io.medssl.pretext.tasks.TaskSample;
import io.medssl.storage.BlobStore;
import java.io.IOException;
import java.util.List;

/**
 * Writes a pretext shard as NumPy {@code .npz}, two arrays per task named by its descriptor:
 * inputs float32 {@code (N, *inputShape)}, and targets: int64 {@code (N)} class indices for
 * classification, float32 {@code (N, *shape)} for regression and for the second consistency view.
 * {@code numpy.load} and DJL's {@code NDList.decode} read it. Same samples → same bytes.
 */
public final class ShardWriter {
    /** One task's samples and its descriptor. */
    public record TaskSamples(PretextTask task, List<TaskSample> samples) {
    }

    private ShardWriter() {
    }

    public static void write(BlobStore store, String key, List<TaskSamples> tasks) throws IOException {
        store.put(key, out -> {
            try (Npz.Writer npz = new Npz.Writer(out)) {
                for (TaskSamples t : tasks) {
                    writeTask(npz, t);
                }
            }
        });
    }

    private static void writeTask(Npz.Writer npz, TaskSamples t) throws IOException {
        PretextTask task = t.task();
        int n = t.samples().size();
        int inputSize = product(task.inputShape());
        float[] x = new float[n * inputSize];
        for (int i = 0; i < n; i++) {
            float[] input = t.samples().get(i).input();
            if (input.length != inputSize) {
                throw new IllegalArgumentException(task.name() + " sample " + i + " has " + input.length + " values, not " + inputSize);
            }
            System.arraycopy(input, 0, x, i * inputSize, inputSize);
        }
        npz.putFloat32(task.inputArray(), x, withBatch(n, task.inputShape()));
        if (task.kind().equals(PretextTask.CLASSIFICATION)) {
            long[] y = new long[n];
            for (int i = 0; i < n; i++) {
                y[i] = t.samples().get(i).label();
            }
            npz.putInt64(task.targetArray(), y, n);
        } else {
            int targetSize = product(task.shape());
            float[] y = new float[n * targetSize];
            for (int i = 0; i < n; i++) {
                System.arraycopy(t.samples().get(i).target(), 0, y, i * targetSize, targetSize);
            }
            npz.putFloat32(task.targetArray(), y, withBatch(n, task.shape()));
        }
    }

    private static int product(List<Integer> shape) {
        int p = 1;
        for (int d : shape) {
            p *= d;
        }
        return p;
    }

    private static int[] withBatch(int n, List<Integer> shape) {
        int[] out = new int[shape.size() + 1];
        out[0] = n;
        for (int i = 0; i < shape.size(); i++) {
            out[i + 1] = shape.get(i);
        }
        return out;
    }
}
