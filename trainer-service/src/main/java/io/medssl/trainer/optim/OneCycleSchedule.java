package io.medssl.trainer.optim;

/**
 * The one-cycle learning rate (Smith 2018; the cosine form of PyTorch's {@code OneCycleLR}):
 * from max/div up to max over the first {@code warmupFraction} of the steps, then cosine down to
 * max/(div·finalDiv). Keyed by the global step, not by DJL's per-parameter update count: a
 * parameter unfrozen halfway through must join the cycle where the others are, not at its start.
 */
public record OneCycleSchedule(float maxRate, int totalSteps, float warmupFraction, float div, float finalDiv) {

    public OneCycleSchedule {
        if (!(maxRate > 0) || totalSteps < 1 || warmupFraction <= 0 || warmupFraction >= 1 || div < 1 || finalDiv < 1) {
            throw new IllegalArgumentException("invalid one-cycle schedule");
        }
    }

    /** PyTorch's defaults: 30 % warm-up, start at max/25, end at max/(25·10⁴). */
    public static OneCycleSchedule of(float maxRate, int totalSteps) {
        return new OneCycleSchedule(maxRate, totalSteps, 0.3f, 25f, 1e4f);
    }

    /** Learning rate at step {@code step} (0-based; steps past the end stay at the final rate). */
    public float at(int step) {
        float initial = maxRate / div;
        float last = initial / finalDiv;
        int warmup = Math.max(1, Math.round(warmupFraction * totalSteps));
        int s = Math.min(Math.max(step, 0), totalSteps - 1);
        if (s < warmup) {
            return cosine(initial, maxRate, (float) s / warmup);
        }
        int rest = Math.max(1, totalSteps - 1 - warmup);
        return cosine(maxRate, last, (float) (s - warmup) / rest);
    }

    /** Cosine interpolation from {@code from} (t = 0) to {@code to} (t = 1). */
    private static float cosine(float from, float to, float t) {
        return (float) (to + (from - to) * (1 + Math.cos(Math.PI * Math.min(1f, t))) / 2);
    }
}
