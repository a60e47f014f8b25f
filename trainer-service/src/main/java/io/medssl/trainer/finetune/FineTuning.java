package io.medssl.trainer.finetune;

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
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import io.medssl.models.NetworkSpec;
import io.medssl.models.Networks;
import io.medssl.models.StagedBackbone;
import io.medssl.models.StagedClassifier;
import io.medssl.trainer.TrainingProgress;
import io.medssl.trainer.data.LabeledImages;
import io.medssl.trainer.data.PretextSamples;
import io.medssl.trainer.loss.ConsistencyLoss;
import io.medssl.trainer.loss.PretextLosses;
import io.medssl.trainer.optim.OneCycleSchedule;
import io.medssl.trainer.optim.StageLearningRates;
import io.medssl.trainer.ssl.CancelledException;
import io.medssl.trainer.ssl.TrainingHooks;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Few-label fine-tuning of a classifier, from a pretrained backbone or from scratch (the baseline).
 * From a pretrained backbone: gradual unfreezing (head only, then stage3 as well, then everything),
 * learning rates that shrink by {@code stageDecay} per stage below the head, BatchNorm statistics
 * kept as pretraining left them. Both start points use Adam on a one-cycle schedule. Optionally
 * UDA: the consistency loss between the classifier's predictions on two augmented views of
 * unlabelled images, added with weight λ.
 */
public final class FineTuning {

    /**
     * @param pretrainedBackbone DJL parameters of a {@link StagedBackbone}, or null to train from scratch
     * @param unfreezeAt fractions of the run at which stage3, then the whole backbone, start training
     * @param consistency UDA term on {@code unlabeled} views, or null
     */
    public record Settings(NetworkSpec spec, int steps, int batchSize, float learningRate, float stageDecay,
                           float[] unfreezeAt, boolean freezeBatchNorm, boolean augment, ConsistencyLoss consistency,
                           long seed, byte[] pretrainedBackbone) {

        public static float[] defaultUnfreezing() {
            return new float[] {0.1f, 0.2f};
        }
    }

    /** The fitted model's validation probabilities and its training curve. */
    public record Result(float[][] validationProbabilities, int[] validationTruth, List<double[]> lossCurve,
                         double imagesPerSecond) {
    }

    private final Settings settings;

    public FineTuning(Settings settings) {
        this.settings = settings;
    }

    /** How many leading backbone stages are frozen at {@code step}. */
    public static int frozenStagesAt(int step, int steps, float[] unfreezeAt, boolean pretrained) {
        if (!pretrained) {
            return 0;
        }
        float progress = (float) step / steps;
        if (progress < unfreezeAt[0]) {
            return StagedBackbone.STAGES.size();
        }
        return progress < unfreezeAt[1] ? StagedBackbone.STAGES.size() - 1 : 0;
    }

    public Result train(Model model, LabeledImages train, LabeledImages validation, PretextSamples unlabeled, Device[] devices,
                        TrainingHooks hooks) throws Exception {
        if (train.count() == 0) {
            throw new IllegalArgumentException("no labelled training images");
        }
        int size = settings.spec().inputSize();
        // Initial weights from the run's seed: the same request trains the same model.
        Engine.getInstance().setRandomSeed((int) settings.seed());
        StagedClassifier classifier = Networks.classifier(settings.spec());
        model.setBlock(classifier);
        boolean pretrained = settings.pretrainedBackbone() != null;
        Shape input = new Shape(2, 1, size, size);
        classifier.initialize(model.getNDManager(), DataType.FLOAT32, input);
        if (pretrained) {
            classifier.backbone().loadParameters(model.getNDManager(),
                    new DataInputStream(new ByteArrayInputStream(settings.pretrainedBackbone())));
        }
        StagedBackbone backbone = classifier.backbone();
        backbone.setBatchNormFrozen(pretrained && settings.freezeBatchNorm());
        AtomicInteger step = new AtomicInteger();
        OneCycleSchedule schedule = OneCycleSchedule.of(settings.learningRate(), settings.steps());
        StageLearningRates rates = new StageLearningRates(schedule, step, backbone, pretrained ? settings.stageDecay() : 1f);
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(rates).build())
                .optDevices(devices);
        boolean uda = settings.consistency() != null && settings.consistency().weight() > 0 && unlabeled != null
                && unlabeled.count() > 0;
        List<double[]> curve = new ArrayList<>();
        float smoothed = Float.NaN;
        long started = System.nanoTime();
        int batch = Math.min(settings.batchSize(), train.count());
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(input);
            int frozen = -1;
            for (int s = 0; s < settings.steps(); s++) {
                if (hooks.cancelled()) {
                    throw new CancelledException(s);
                }
                step.set(s);
                int nowFrozen = frozenStagesAt(s, settings.steps(), settings.unfreezeAt(), pretrained);
                if (nowFrozen != frozen) {
                    backbone.freezeStages(nowFrozen);
                    frozen = nowFrozen;
                }
                SplittableRandom random = new SplittableRandom(settings.seed() * 7_919L + s);
                Map<String, Float> losses = new LinkedHashMap<>();
                int share = Math.max(1, batch / devices.length);
                // Data parallel: each device takes its share of the batch; gradients meet in trainer.step().
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    for (Device device : devices) {
                        try (NDManager manager = trainer.getManager().newSubManager(device)) {
                            NDArray loss = step(trainer, manager, train, unlabeled, uda, share, size, random, losses);
                            collector.backward(loss);
                        }
                    }
                }
                trainer.step();
                losses.replaceAll((name, sum) -> sum / devices.length);
                float total = losses.get("total");
                smoothed = Float.isNaN(smoothed) ? total : 0.9f * smoothed + 0.1f * total;
                curve.add(new double[] {s + 1, total});
                int done = s + 1;
                if (done == 1 || done % 10 == 0 || done == settings.steps()) {
                    double seconds = (System.nanoTime() - started) / 1e9;
                    Map<String, Float> shown = new LinkedHashMap<>(losses);
                    shown.put("total", smoothed);
                    hooks.progress(new TrainingProgress(done, settings.steps(), (double) done * batch / train.count(), shown,
                            schedule.at(s), done * (double) batch / seconds, (settings.steps() - done) * seconds / done));
                }
            }
            double rate = settings.steps() * (double) batch / ((System.nanoTime() - started) / 1e9);
            return new Result(predict(trainer, validation, devices[0]), validation.y().clone(), curve, rate);
        }
    }

    /** One device's forward and loss: supervised cross-entropy (+ λ·consistency on unlabelled views). */
    private NDArray step(Trainer trainer, NDManager manager, LabeledImages train, PretextSamples unlabeled, boolean uda, int batch,
                         int size, SplittableRandom random, Map<String, Float> losses) {
        int[] rows = new int[batch];
        long[] y = new long[batch];
        for (int i = 0; i < batch; i++) {
            rows[i] = random.nextInt(train.count());
            y[i] = train.y()[rows[i]];
        }
        NDArray x = manager.create(images(train.x(), size, rows, settings.augment() ? random : null), new Shape(batch, 1, size, size));
        NDArray labels = manager.create(y, new Shape(batch));
        NDArray total;
        if (uda) {
            int u = Math.min(batch, unlabeled.count());
            int[] urows = random.ints(u, 0, unlabeled.count()).toArray();
            NDArray v1 = manager.create(images(unlabeled.inputs(), size, urows, null), new Shape(u, 1, size, size));
            NDArray v2 = manager.create(images(unlabeled.targets(), size, urows, null), new Shape(u, 1, size, size));
            NDArray logits = trainer.forward(new NDList(x.concat(v1, 0).concat(v2, 0))).singletonOrThrow();
            NDArray supervised = PretextLosses.crossEntropy(logits.get("0:" + batch), labels);
            NDArray consistency = settings.consistency().compute(logits.get(batch + ":" + (batch + u)),
                    logits.get((batch + u) + ":")).mul(settings.consistency().weight());
            losses.merge("classification", supervised.getFloat(), Float::sum);
            losses.merge("consistency", consistency.getFloat(), Float::sum);
            total = supervised.add(consistency);
        } else {
            total = PretextLosses.crossEntropy(trainer.forward(new NDList(x)).singletonOrThrow(), labels);
            losses.merge("classification", total.getFloat(), Float::sum);
        }
        losses.merge("total", total.getFloat(), Float::sum);
        return total;
    }

    /** Softmax probabilities for every image, in inference mode. */
    public float[][] predict(Trainer trainer, LabeledImages images, Device device) {
        int size = images.size();
        float[][] probabilities = new float[images.count()][];
        for (int start = 0; start < images.count(); start += 64) {
            int n = Math.min(64, images.count() - start);
            int[] rows = java.util.stream.IntStream.range(start, start + n).toArray();
            try (NDManager manager = trainer.getManager().newSubManager(device)) {
                NDArray x = manager.create(images(images.x(), size, rows, null), new Shape(n, 1, size, size));
                NDArray p = trainer.evaluate(new NDList(x)).singletonOrThrow().softmax(1);
                float[] flat = p.toFloatArray();
                int classes = (int) p.getShape().get(1);
                for (int i = 0; i < n; i++) {
                    probabilities[start + i] = java.util.Arrays.copyOfRange(flat, i * classes, (i + 1) * classes);
                }
            }
        }
        return probabilities;
    }

    /**
     * Gathers rows of a flat image array; with a random source, each image is flipped left-right
     * half the time and shifted by up to 1/16 of its side (zero fill), a mild augmentation that
     * keeps findings in the frame.
     */
    static float[] images(float[] source, int size, int[] rows, SplittableRandom random) {
        int pixels = size * size;
        float[] out = new float[rows.length * pixels];
        for (int i = 0; i < rows.length; i++) {
            int from = rows[i] * pixels;
            int to = i * pixels;
            if (random == null) {
                System.arraycopy(source, from, out, to, pixels);
                continue;
            }
            boolean flip = random.nextBoolean();
            int max = Math.max(1, size / 16);
            int dy = random.nextInt(2 * max + 1) - max;
            int dx = random.nextInt(2 * max + 1) - max;
            for (int r = 0; r < size; r++) {
                int sr = r - dy;
                if (sr < 0 || sr >= size) {
                    continue;
                }
                for (int c = 0; c < size; c++) {
                    int sc = (flip ? size - 1 - c : c) - dx;
                    if (sc >= 0 && sc < size) {
                        out[to + r * size + c] = source[from + sr * size + sc];
                    }
                }
            }
        }
        return out;
    }
}
