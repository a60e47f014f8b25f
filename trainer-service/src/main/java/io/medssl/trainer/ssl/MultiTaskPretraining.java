package io.medssl.trainer.ssl;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.util.PairList;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import io.medssl.contracts.PretextTask;
import io.medssl.models.MultiTaskNetwork;
import io.medssl.models.NetworkSpec;
import io.medssl.models.Networks;
import io.medssl.models.PretextHead;
import io.medssl.trainer.TrainingProgress;
import io.medssl.trainer.data.PretextSamples;
import io.medssl.trainer.loss.ConsistencyLoss;
import io.medssl.trainer.loss.PretextLosses;
import io.medssl.trainer.optim.OneCycleSchedule;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Self-supervised pretraining: one backbone, one head per pretext task found in the shards, loss =
 * Σ pretext losses + λ·consistency between the two augmented views (when a consistency loss is
 * given and the shards carry views). Adam on a one-cycle schedule keyed by the global step, so a
 * run resumed from a checkpoint continues the same schedule (Adam's moments restart; they settle
 * within a few steps).
 */
public final class MultiTaskPretraining {

    /**
     * @param consistency null for pretext losses only
     * @param resumeParameters parameters of a checkpoint to continue from (with {@code startStep}), or null
     */
    public record Settings(NetworkSpec spec, int steps, int batchSize, float learningRate, ConsistencyLoss consistency,
                           long seed, int checkpointEvery, int startStep, byte[] resumeParameters) {
    }

    /** What the run measured: validation loss and (for classification heads) accuracy per head. */
    public record Result(Map<String, Float> trainLosses, Map<String, Double> validation, double imagesPerSecond, int steps) {
    }

    private final Settings settings;

    public MultiTaskPretraining(Settings settings) {
        this.settings = settings;
    }

    /** The heads for the tasks the samples hold; the views task only when there is a consistency loss. */
    public static List<PretextHead> heads(Map<String, PretextSamples> samples, boolean consistency) {
        List<PretextHead> heads = new ArrayList<>();
        for (PretextSamples s : samples.values()) {
            PretextTask t = s.task();
            int channels = s.inputShape()[0];
            PretextHead head = switch (t.kind()) {
                case PretextTask.CLASSIFICATION -> channels == 1
                        ? new PretextHead(t.name(), PretextHead.Layout.IMAGE_CLASSIFICATION, t.classes(), 1)
                        : new PretextHead(t.name(), PretextHead.Layout.TILES, t.classes(), channels);
                case PretextTask.REGRESSION -> channels == 1
                        ? new PretextHead(t.name(), PretextHead.Layout.RECONSTRUCTION, 0, 1)
                        : new PretextHead(t.name(), PretextHead.Layout.MASKED_RECONSTRUCTION, 0, 1);
                case PretextTask.VIEWS -> consistency ? new PretextHead(t.name(), PretextHead.Layout.VIEWS, 0, 1) : null;
                default -> null;
            };
            if (head != null) {
                heads.add(head);
            }
        }
        return heads;
    }

    /** Builds the network on {@code model}, trains it and measures it on {@code validation}. */
    public Result train(Model model, Map<String, PretextSamples> train, Map<String, PretextSamples> validation, Device[] devices,
                        TrainingHooks hooks) throws Exception {
        boolean useConsistency = settings.consistency() != null && settings.consistency().weight() > 0;
        List<PretextHead> heads = heads(train, useConsistency);
        if (heads.isEmpty()) {
            throw new IllegalArgumentException("the shards carry no pretext task this trainer can learn");
        }
        // Initial weights from the run's seed: the same request trains the same model.
        Engine.getInstance().setRandomSeed((int) settings.seed());
        MultiTaskNetwork network = Networks.multiTask(settings.spec(), heads);
        model.setBlock(network);
        Shape[] shapes = inputShapes(heads, train, 2);
        if (settings.resumeParameters() != null) {
            // Load before the trainer initialises, so the loaded arrays are the ones that get gradients.
            network.initialize(model.getNDManager(), DataType.FLOAT32, shapes);
            network.loadParameters(model.getNDManager(), new DataInputStream(new ByteArrayInputStream(settings.resumeParameters())));
        }
        AtomicInteger step = new AtomicInteger(settings.startStep());
        OneCycleSchedule schedule = OneCycleSchedule.of(settings.learningRate(), settings.steps());
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker((id, n) -> schedule.at(step.get())).build())
                .optDevices(devices);
        Map<String, Float> smoothed = new LinkedHashMap<>();
        int imagesPerStep = heads.stream().mapToInt(h -> Math.min(settings.batchSize(), train.get(h.task()).count()) * h.arrays()).sum();
        long started = System.nanoTime();
        int firstStep = settings.startStep();
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(shapes);
            for (int s = firstStep; s < settings.steps(); s++) {
                if (hooks.cancelled()) {
                    throw new CancelledException(s);
                }
                step.set(s);
                SplittableRandom random = new SplittableRandom(settings.seed() * 1_000_003L + s);
                Map<String, Float> losses = new LinkedHashMap<>();
                // Data parallel: each device takes its share of the batch; gradients meet in trainer.step().
                int perDevice = Math.max(1, settings.batchSize() / devices.length);
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    for (Device device : devices) {
                        try (NDManager stepManager = trainer.getManager().newSubManager(device)) {
                            Batch batch = sample(stepManager, heads, train, perDevice, random);
                            NDList outputs = trainer.forward(batch.inputs());
                            Map<String, Float> share = new LinkedHashMap<>();
                            NDArray total = losses(heads, batch, outputs, share);
                            collector.backward(total);
                            share.put("total", total.getFloat());
                            share.forEach((name, value) -> losses.merge(name, value / devices.length, Float::sum));
                        }
                    }
                }
                trainer.step();
                losses.forEach((k, v) -> smoothed.merge(k, v, (old, now) -> Float.isFinite(old) ? 0.9f * old + 0.1f * now : now));
                int done = s + 1;
                if (done == firstStep + 1 || done % 10 == 0 || done == settings.steps()) {
                    double seconds = (System.nanoTime() - started) / 1e9;
                    double rate = (done - firstStep) * (double) imagesPerStep / seconds;
                    double eta = (settings.steps() - done) * seconds / (done - firstStep);
                    int epochSamples = heads.stream().mapToInt(h -> train.get(h.task()).count()).max().orElse(1);
                    hooks.progress(new TrainingProgress(done, settings.steps(),
                            (double) done * settings.batchSize() / epochSamples, Map.copyOf(smoothed), schedule.at(s), rate, eta));
                }
                if (settings.checkpointEvery() > 0 && done % settings.checkpointEvery() == 0 && done < settings.steps()) {
                    hooks.checkpoint(done, network);
                }
            }
            double rate = (settings.steps() - firstStep) * (double) imagesPerStep / ((System.nanoTime() - started) / 1e9);
            recalibrateBatchNorm(trainer, heads, train, devices[0]);
            return new Result(Map.copyOf(smoothed), validate(trainer, heads, validation.isEmpty() ? train : validation, devices[0]),
                    rate, settings.steps());
        }
    }

    private record Batch(NDList inputs, List<NDArray> targets) {
    }

    /** Forward passes in training mode without gradients: enough for BatchNorm's running averages (momentum 0.9) to settle. */
    static final int RECALIBRATION_BATCHES = 40;

    /**
     * Re-estimates BatchNorm running statistics at the final weights. During training they trail
     * the weights (and with few steps still remember their initial 0/1); fine-tuning keeps frozen
     * stages in inference mode, where exactly these statistics are used.
     */
    private void recalibrateBatchNorm(Trainer trainer, List<PretextHead> heads, Map<String, PretextSamples> data, Device device) {
        for (int i = 0; i < RECALIBRATION_BATCHES; i++) {
            SplittableRandom random = new SplittableRandom(settings.seed() * 31L + i);
            try (NDManager manager = trainer.getManager().newSubManager(device)) {
                trainer.forward(sample(manager, heads, data, settings.batchSize(), random).inputs());
            }
        }
    }

    /** One batch per head: rows drawn at random (with replacement) from the head's samples. */
    private static Batch sample(NDManager manager, List<PretextHead> heads, Map<String, PretextSamples> data, int batchSize,
                                SplittableRandom random) {
        NDList inputs = new NDList();
        List<NDArray> targets = new ArrayList<>();
        for (PretextHead head : heads) {
            PretextSamples s = data.get(head.task());
            int n = Math.min(batchSize, s.count());
            int[] rows = new int[n];
            for (int i = 0; i < n; i++) {
                rows[i] = random.nextInt(s.count());
            }
            addRows(manager, s, rows, inputs, targets, head);
        }
        return new Batch(inputs, targets);
    }

    private static void addRows(NDManager manager, PretextSamples s, int[] rows, NDList inputs, List<NDArray> targets, PretextHead head) {
        int n = rows.length;
        int in = s.inputSize();
        float[] x = new float[n * in];
        for (int i = 0; i < n; i++) {
            System.arraycopy(s.inputs(), rows[i] * in, x, i * in, in);
        }
        inputs.add(manager.create(x, shape(n, s.inputShape())));
        if (s.classification()) {
            long[] y = new long[n];
            for (int i = 0; i < n; i++) {
                y[i] = s.labels()[rows[i]];
            }
            targets.add(manager.create(y, new Shape(n)));
        } else {
            int out = s.targetSize();
            float[] t = new float[n * out];
            for (int i = 0; i < n; i++) {
                System.arraycopy(s.targets(), rows[i] * out, t, i * out, out);
            }
            NDArray target = manager.create(t, shape(n, s.targetShape()));
            if (head.layout() == PretextHead.Layout.VIEWS) {
                inputs.add(target);
                targets.add(null);
            } else {
                targets.add(target);
            }
        }
    }

    /** Σ per-head losses (+ λ·consistency); records each term's value in {@code record}. */
    private NDArray losses(List<PretextHead> heads, Batch batch, NDList outputs, Map<String, Float> record) {
        NDArray total = null;
        int at = 0;
        int target = 0;
        for (PretextHead head : heads) {
            NDArray loss;
            switch (head.layout()) {
                case IMAGE_CLASSIFICATION, TILES -> loss = PretextLosses.crossEntropy(outputs.get(at), batch.targets().get(target));
                case RECONSTRUCTION -> loss = PretextLosses.meanSquaredError(outputs.get(at), batch.targets().get(target));
                case MASKED_RECONSTRUCTION -> loss = PretextLosses.maskedMeanSquaredError(outputs.get(at),
                        batch.targets().get(target), batch.inputs().get(at).get(":, 1:2, :, :"));
                case VIEWS -> loss = settings.consistency().compute(outputs.get(at), outputs.get(at + 1))
                        .mul(settings.consistency().weight());
                default -> throw new IllegalStateException(head.layout().toString());
            }
            record.put(head.layout() == PretextHead.Layout.VIEWS ? "consistency" : head.task(), loss.getFloat());
            total = total == null ? loss : total.add(loss);
            at += head.arrays();
            target++;
        }
        return total;
    }

    /** Validation loss per head and accuracy of classification heads, on up to 512 samples each. */
    private Map<String, Double> validate(Trainer trainer, List<PretextHead> heads, Map<String, PretextSamples> data, Device device) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (PretextHead head : heads) {
            PretextSamples s = data.get(head.task());
            if (s == null || s.count() == 0 || head.layout() == PretextHead.Layout.VIEWS) {
                continue;
            }
            int limit = Math.min(512, s.count());
            double lossSum = 0;
            int correct = 0;
            for (int start = 0; start < limit; start += settings.batchSize()) {
                int n = Math.min(settings.batchSize(), limit - start);
                int[] rows = java.util.stream.IntStream.range(start, start + n).toArray();
                try (NDManager manager = trainer.getManager().newSubManager(device)) {
                    NDList inputs = new NDList();
                    List<NDArray> targets = new ArrayList<>();
                    List<PretextHead> one = List.of(head);
                    addRows(manager, s, rows, inputs, targets, head);
                    NDList out = onlyHead(trainer, head, inputs);
                    Batch batch = new Batch(inputs, targets);
                    Map<String, Float> ignored = new LinkedHashMap<>();
                    lossSum += losses(one, batch, out, ignored).getFloat() * n;
                    if (s.classification()) {
                        long[] predicted = out.get(0).argMax(1).toLongArray();
                        for (int i = 0; i < n; i++) {
                            correct += predicted[i] == s.labels()[start + i] ? 1 : 0;
                        }
                    }
                }
            }
            metrics.put(head.task() + "_loss", lossSum / limit);
            if (s.classification()) {
                metrics.put(head.task() + "_accuracy", (double) correct / limit);
            }
        }
        return metrics;
    }

    /** Runs one head in inference mode: the network skips the other heads when asked for one task. */
    private static NDList onlyHead(Trainer trainer, PretextHead wanted, NDList inputs) {
        PairList<String, Object> params = new PairList<>();
        params.add(MultiTaskNetwork.ONLY_TASK, wanted.task());
        ParameterStore store = new ParameterStore(inputs.get(0).getManager(), false);
        return trainer.getModel().getBlock().forward(store, inputs, false, params);
    }

    private static Shape shape(int n, int[] sampleShape) {
        long[] dims = new long[sampleShape.length + 1];
        dims[0] = n;
        for (int i = 0; i < sampleShape.length; i++) {
            dims[i + 1] = sampleShape[i];
        }
        return new Shape(dims);
    }

    private static Shape[] inputShapes(List<PretextHead> heads, Map<String, PretextSamples> data, int n) {
        List<Shape> shapes = new ArrayList<>();
        for (PretextHead head : heads) {
            PretextSamples s = data.get(head.task());
            shapes.add(shape(n, s.inputShape()));
            if (head.layout() == PretextHead.Layout.VIEWS) {
                shapes.add(shape(n, s.targetShape()));
            }
        }
        return shapes.toArray(Shape[]::new);
    }
}
