package io.medssl.phantom;

import java.util.SplittableRandom;

/**
 * The phantom's only source of randomness: a seeded {@link SplittableRandom} with the few
 * distributions the generator needs. Gaussians use our own Box–Muller transform rather than
 * {@code RandomGenerator.nextGaussian()} so that a seed gives the same images on every JDK.
 */
final class Draws {
    private final SplittableRandom random;
    private double spareGaussian = Double.NaN;

    Draws(long seed) {
        random = new SplittableRandom(seed);
    }

    double uniform(double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }

    /** An integer in [lo, hi], both inclusive. */
    int between(int lo, int hi) {
        return lo + random.nextInt(hi - lo + 1);
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    long nextLong() {
        return random.nextLong();
    }

    double gaussian() {
        if (!Double.isNaN(spareGaussian)) {
            double g = spareGaussian;
            spareGaussian = Double.NaN;
            return g;
        }
        double u1 = 1.0 - random.nextDouble(); // (0, 1]: log stays finite
        double u2 = random.nextDouble();
        double radius = Math.sqrt(-2.0 * Math.log(u1));
        spareGaussian = radius * Math.sin(2 * Math.PI * u2);
        return radius * Math.cos(2 * Math.PI * u2);
    }
}
