package io.medssl.trainer.bench;

import ai.djl.Device;
import ai.djl.Model;
import io.medssl.models.DjlRuntime;
import io.medssl.models.NetworkSpec;
import io.medssl.trainer.ssl.PretextData;
import io.medssl.trainer.ssl.RotationPretraining;
import java.util.Random;

/**
 * bench/train's DJL side: the trainer's own training loop ({@link RotationPretraining}: the
 * default network, Adam, softmax cross-entropy, batch 32 × 1×64×64, per-step sub-managers) on
 * random data, CPU. Prints {@code djl <ms per step>}, timed over {@code steps} steps after ten
 * warm-up steps, as the Python side. Usage: TrainStepBench [steps] [threads].
 */
public final class TrainStepBench {
    private TrainStepBench() {
    }

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        DjlRuntime.configure(true, threads);
        int size = 64;
        int n = 512;
        Random random = new Random(1);
        float[] x = new float[n * size * size];
        long[] y = new long[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextFloat();
        }
        for (int i = 0; i < n; i++) {
            y[i] = random.nextInt(4);
        }
        PretextData data = new PretextData(size, x, y);
        PretextData validation = new PretextData(size, new float[0], new long[0]);
        NetworkSpec spec = new NetworkSpec(size, 16, 4);
        // Warm-up run: native library load, allocator and JIT.
        run(spec, 5, data, validation);
        System.out.printf("djl %.1f%n", run(spec, steps + 10, data, validation));
    }

    /** Milliseconds per step over the steps after the 10th (the first ones allocate optimizer state). */
    private static double run(NetworkSpec spec, int steps, PretextData data, PretextData validation) {
        long[] at = new long[2];
        try (Model model = Model.newInstance("bench", Device.cpu())) {
            new RotationPretraining(spec, steps, 32, 1e-3f, 7).train(model, data, validation, Device.cpu(), p -> {
                if (p.step() == 10) {
                    at[0] = System.nanoTime();
                } else if (p.step() == p.steps()) {
                    at[1] = System.nanoTime();
                }
            });
        }
        return (at[1] - at[0]) / 1e6 / Math.max(1, steps - 10);
    }
}
