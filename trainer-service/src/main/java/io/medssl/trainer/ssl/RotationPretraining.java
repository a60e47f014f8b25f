package io.medssl.trainer.ssl;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.medssl.models.NetworkSpec;
import io.medssl.models.Networks;
import java.util.Random;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Self-supervised pretraining on the rotation pretext task: the backbone plus a 4-way head,
 * softmax cross-entropy, Adam. Step arrays live in a per-step sub-manager (without it PyTorch
 * memory grows by the batch every step).
 */
public final class RotationPretraining {
    private static final Logger LOG = Logger.getLogger(RotationPretraining.class);

    /** What the run measured. */
    public record Result(float finalLoss, double validationAccuracy, int validationSamples, double imagesPerSecond, int steps) {
    }

    /** Progress as training goes: (step, steps, loss, images/s). */
    public record Progress(int step, int steps, float loss, double imagesPerSecond, double etaSeconds) {
    }

    private final NetworkSpec spec;
    private final int steps;
    private final int batchSize;
    private final float learningRate;
    private final long seed;

    public RotationPretraining(NetworkSpec spec, int steps, int batchSize, float learningRate, long seed) {
        this.spec = spec;
        this.steps = steps;
        this.batchSize = batchSize;
        this.learningRate = learningRate;
        this.seed = seed;
    }

    /** Trains {@code model} (whose block this sets) and evaluates on {@code validation}. */
    public Result train(Model model, PretextData train, PretextData validation, Device device, Consumer<Progress> progress) {
        model.setBlock(Networks.classifier(spec));
        int size = spec.inputSize();
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate)).build())
                .optDevices(new Device[] {device});
        Random random = new Random(seed);
        int batch = Math.min(batchSize, train.count());
        float lastLoss = Float.NaN;
        float emaLoss = Float.NaN;
        long started = System.nanoTime();
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(new Shape(batch, 1, size, size));
            float[] xb = new float[batch * size * size];
            long[] yb = new long[batch];
            for (int step = 1; step <= steps; step++) {
                for (int i = 0; i < batch; i++) {
                    int pick = random.nextInt(train.count());
                    System.arraycopy(train.x(), pick * size * size, xb, i * size * size, size * size);
                    yb[i] = train.y()[pick];
                }
                try (NDManager stepManager = trainer.getManager().newSubManager(device)) {
                    NDArray x = stepManager.create(xb, new Shape(batch, 1, size, size));
                    NDArray y = stepManager.create(yb, new Shape(batch));
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
                        NDArray loss = trainer.getLoss().evaluate(new NDList(y), new NDList(logits));
                        collector.backward(loss);
                        lastLoss = loss.getFloat();
                    }
                    trainer.step();
                }
                emaLoss = Float.isNaN(emaLoss) ? lastLoss : 0.9f * emaLoss + 0.1f * lastLoss;
                double seconds = (System.nanoTime() - started) / 1e9;
                double rate = step * batch / seconds;
                if (step == 1 || step % 10 == 0 || step == steps) {
                    double eta = (steps - step) * seconds / step;
                    progress.accept(new Progress(step, steps, emaLoss, rate, eta));
                }
            }
            double rate = steps * batch / ((System.nanoTime() - started) / 1e9);
            double accuracy = accuracy(trainer, validation, device);
            return new Result(emaLoss, accuracy, validation.count(), rate, steps);
        }
    }

    private double accuracy(Trainer trainer, PretextData data, Device device) {
        int size = spec.inputSize();
        int correct = 0;
        for (int start = 0; start < data.count(); start += batchSize) {
            int n = Math.min(batchSize, data.count() - start);
            float[] xb = new float[n * size * size];
            System.arraycopy(data.x(), start * size * size, xb, 0, n * size * size);
            try (NDManager manager = trainer.getManager().newSubManager(device)) {
                NDArray logits = trainer.evaluate(new NDList(manager.create(xb, new Shape(n, 1, size, size)))).singletonOrThrow();
                long[] predicted = logits.argMax(1).toLongArray();
                for (int i = 0; i < n; i++) {
                    if (predicted[i] == data.y()[start + i]) {
                        correct++;
                    }
                }
            }
        }
        LOG.debugf("validation accuracy %d/%d", correct, data.count());
        return data.count() == 0 ? Double.NaN : (double) correct / data.count();
    }
}
