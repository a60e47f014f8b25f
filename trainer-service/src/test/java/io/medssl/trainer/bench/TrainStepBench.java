package io.medssl.trainer.bench;

import ai.djl.Device;
import ai.djl.Model;
import io.medssl.models.DjlRuntime;
import io.medssl.models.NetworkSpec;
import io.medssl.trainer.TrainingProgress;
import io.medssl.trainer.data.LabeledImages;
import io.medssl.trainer.finetune.FineTuning;
import io.medssl.trainer.ssl.TrainingHooks;
import java.util.List;
import java.util.Random;

/**
 * bench/train's DJL side: the trainer's own supervised loop ({@link FineTuning} from scratch: the
 * default network, Adam on a one-cycle schedule, softmax cross-entropy, batch 32 × 1×64×64,
 * per-step sub-managers; augmentation off, as on the Python side) on random data, CPU. Prints
 * {@code djl <ms per step>}, timed over {@code steps} steps after ten warm-up steps, as the Python
 * side. Usage: TrainStepBench [steps] [threads].
 */
public final class TrainStepBench {
    private TrainStepBench() {
    }

    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        DjlRuntime.configure(true, threads);
        int size = 64;
        int n = 512;
        Random random = new Random(1);
        float[] x = new float[n * size * size];
        int[] y = new int[n];
        String[] patients = new String[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextFloat();
        }
        for (int i = 0; i < n; i++) {
            y[i] = random.nextInt(4);
            patients[i] = "p" + i;
        }
        List<String> classes = List.of("a", "b", "c", "d");
        LabeledImages data = new LabeledImages(size, x, y, patients, classes);
        LabeledImages validation = new LabeledImages(size, new float[size * size], new int[1], new String[] {"v"}, classes);
        NetworkSpec spec = new NetworkSpec(size, 16, 4);
        // Warm-up run: native library load, allocator and JIT.
        run(spec, 5, data, validation);
        System.out.printf("djl %.1f%n", run(spec, steps + 10, data, validation));
    }

    /** Milliseconds per step over the steps after the 10th (the first ones allocate optimizer state). */
    private static double run(NetworkSpec spec, int steps, LabeledImages data, LabeledImages validation) throws Exception {
        long[] at = new long[2];
        var settings = new FineTuning.Settings(spec, steps, 32, 1e-3f, 1f, FineTuning.Settings.defaultUnfreezing(), false, false,
                null, 7, null);
        try (Model model = Model.newInstance("bench", Device.cpu())) {
            new FineTuning(settings).train(model, data, validation, null, new Device[] {Device.cpu()}, new TrainingHooks() {
                @Override
                public void progress(TrainingProgress p) {
                    if (p.step() == 10) {
                        at[0] = System.nanoTime();
                    } else if (p.step() == p.steps()) {
                        at[1] = System.nanoTime();
                    }
                }

                @Override
                public boolean cancelled() {
                    return false;
                }

                @Override
                public void checkpoint(int step, ai.djl.nn.Block block) {
                }
            });
        }
        return (at[1] - at[0]) / 1e6 / Math.max(1, steps - 10);
    }
}
