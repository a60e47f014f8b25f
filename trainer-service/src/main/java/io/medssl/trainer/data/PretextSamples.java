package io.medssl.trainer.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.medssl.contracts.PretextShardReady;
import io.medssl.contracts.PretextTask;
import io.medssl.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The samples of one pretext task over a set of shards, on the host. Shards are read with DJL's
 * own NumPy reader ({@code NDList.decode}), the path any DJL user would take with pretext-service's
 * files; arrays are found by the names the shard's task descriptor gives, so the trainer follows
 * whatever tasks the shards carry.
 *
 * @param inputs {@code count × inputShape} floats
 * @param labels class indices (classification tasks), else null
 * @param targets {@code count × targetShape} floats (regression targets, or the second view), else null
 */
public record PretextSamples(PretextTask task, int count, int[] inputShape, float[] inputs, long[] labels,
                             int[] targetShape, float[] targets) {

    public int inputSize() {
        return Arrays.stream(inputShape).reduce(1, (a, b) -> a * b);
    }

    public int targetSize() {
        return targetShape == null ? 0 : Arrays.stream(targetShape).reduce(1, (a, b) -> a * b);
    }

    public boolean classification() {
        return PretextTask.CLASSIFICATION.equals(task.kind());
    }

    /** The descriptor of {@code taskName} in the shard, if the shard has that task. */
    public static Optional<PretextTask> task(PretextShardReady shard, String taskName) {
        return shard.tasks().stream().filter(t -> t.name().equals(taskName)).findFirst();
    }

    /** Every task the shards hold samples of, with the first shard's descriptor, in shard order. */
    public static Map<String, PretextTask> tasks(List<PretextShardReady> shards) {
        Map<String, PretextTask> tasks = new LinkedHashMap<>();
        for (PretextShardReady shard : shards) {
            for (PretextTask t : shard.tasks()) {
                if (t.samples() > 0) {
                    tasks.putIfAbsent(t.name(), t);
                }
            }
        }
        return tasks;
    }

    /** Loads the named tasks from every shard that has them; tasks without samples are left out. */
    public static Map<String, PretextSamples> load(BlobStore store, List<PretextShardReady> shards, List<String> taskNames)
            throws IOException {
        Map<String, PretextTask> known = tasks(shards);
        Map<String, Builder> builders = new LinkedHashMap<>();
        for (String name : taskNames) {
            PretextTask first = known.get(name);
            if (first != null) {
                int total = shards.stream().mapToInt(s -> task(s, name).map(PretextTask::samples).orElse(0)).sum();
                builders.put(name, new Builder(first, total));
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            for (PretextShardReady shard : shards) {
                if (builders.keySet().stream().noneMatch(n -> task(shard, n).map(t -> t.samples() > 0).orElse(false))) {
                    continue;
                }
                try (NDManager shardManager = manager.newSubManager()) {
                    NDList arrays;
                    try (InputStream in = store.open(shard.key())) {
                        arrays = NDList.decode(shardManager, in);
                    }
                    for (Builder builder : builders.values()) {
                        Optional<PretextTask> t = task(shard, builder.task.name());
                        if (t.isPresent() && t.get().samples() > 0) {
                            builder.add(shard, t.get(), arrays);
                        }
                    }
                }
            }
        }
        Map<String, PretextSamples> samples = new LinkedHashMap<>();
        builders.forEach((name, builder) -> samples.put(name, builder.build()));
        return samples;
    }

    private static final class Builder {
        final PretextTask task;
        final int[] inputShape;
        final int[] targetShape;
        final float[] inputs;
        final long[] labels;
        final float[] targets;
        int at;

        Builder(PretextTask task, int total) {
            this.task = task;
            this.inputShape = task.inputShape().stream().mapToInt(Integer::intValue).toArray();
            boolean classification = PretextTask.CLASSIFICATION.equals(task.kind());
            this.targetShape = classification ? null : task.shape().stream().mapToInt(Integer::intValue).toArray();
            this.inputs = new float[total * product(inputShape)];
            this.labels = classification ? new long[total] : null;
            this.targets = classification ? null : new float[total * product(targetShape)];
        }

        void add(PretextShardReady shard, PretextTask t, NDList arrays) throws IOException {
            if (!t.inputShape().equals(task.inputShape()) || !java.util.Objects.equals(t.shape(), task.shape())
                    || t.classes() != task.classes()) {
                throw new IOException("shard " + shard.shardId() + " has task " + t.name() + " with another shape than earlier shards: "
                        + t + " vs " + task);
            }
            NDArray x = arrays.get(t.inputArray());
            NDArray y = arrays.get(t.targetArray());
            int n = t.samples();
            if (x == null || y == null || x.getShape().get(0) != n || x.size() != (long) n * product(inputShape)) {
                throw new IOException("shard " + shard.shardId() + " does not hold " + n + " samples of task " + t.name()
                        + " as its descriptor says");
            }
            System.arraycopy(x.toFloatArray(), 0, inputs, at * product(inputShape), n * product(inputShape));
            if (labels != null) {
                System.arraycopy(y.toLongArray(), 0, labels, at, n);
            } else {
                if (y.size() != (long) n * product(targetShape)) {
                    throw new IOException("shard " + shard.shardId() + ": targets of task " + t.name() + " have shape " + y.getShape());
                }
                System.arraycopy(y.toFloatArray(), 0, targets, at * product(targetShape), n * product(targetShape));
            }
            at += n;
        }

        PretextSamples build() {
            return new PretextSamples(task, at, inputShape, inputs, labels, targetShape, targets);
        }

        private static int product(int[] shape) {
            return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        }
    }
}
