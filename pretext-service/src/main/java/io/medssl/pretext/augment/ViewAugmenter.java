package io.medssl.pretext.augment;

import io.medssl.imaging.GrayImage;
import java.util.SplittableRandom;

/**
 * Draws one augmented view of a square frame: random resized crop, horizontal flip and small
 * rotation (one inverse mapping with bilinear sampling), then gamma, contrast and brightness
 * jitter, Gaussian noise and an occasional blur.
 */
public final class ViewAugmenter {
    private final AugmentationPolicy policy;

    public ViewAugmenter(AugmentationPolicy policy) {
        this.policy = policy;
    }

    public float[] view(GrayImage frame, SplittableRandom random) {
        int size = frame.rows();
        if (frame.cols() != size) {
            throw new IllegalArgumentException("views need square frames");
        }
        double scale = policy.minCropScale() + random.nextDouble() * (1 - policy.minCropScale());
        double logAspect = (random.nextDouble() * 2 - 1) * Math.log(policy.maxAspectRatio());
        double aspect = Math.exp(logAspect);
        double h = Math.min(size, size * Math.sqrt(scale / aspect));
        double w = Math.min(size, size * Math.sqrt(scale * aspect));
        double cy = h / 2 + random.nextDouble() * (size - h);
        double cx = w / 2 + random.nextDouble() * (size - w);
        boolean flip = random.nextDouble() < policy.flipProbability();
        double theta = Math.toRadians((random.nextDouble() * 2 - 1) * policy.maxRotationDegrees());
        double gamma = Math.exp((random.nextDouble() * 2 - 1) * policy.maxLogGamma());
        double contrast = 1 + (random.nextDouble() * 2 - 1) * policy.maxContrast();
        double brightness = (random.nextDouble() * 2 - 1) * policy.maxBrightness();
        double sigma = random.nextDouble() * policy.maxNoiseSigma();
        boolean blur = random.nextDouble() < policy.blurProbability();

        float[] src = frame.pixels();
        float[] out = new float[size * size];
        double cos = Math.cos(theta);
        double sin = Math.sin(theta);
        for (int r = 0; r < size; r++) {
            double yn = (r + 0.5) / size - 0.5;
            for (int c = 0; c < size; c++) {
                double xn = (c + 0.5) / size - 0.5;
                if (flip) {
                    xn = -xn;
                }
                double y = cy + (yn * cos - xn * sin) * h - 0.5;
                double x = cx + (yn * sin + xn * cos) * w - 0.5;
                out[r * size + c] = bilinear(src, size, y, x);
            }
        }
        if (blur) {
            out = BoxBlur.blur(out, size, 1, 1);
        }
        GammaTable power = gamma == 1 ? null : new GammaTable(gamma);
        float scaleC = (float) contrast;
        float shift = (float) (0.5 - 0.5 * contrast + brightness);
        for (int i = 0; i < out.length; i++) {
            out[i] = (power == null ? out[i] : power.apply(out[i])) * scaleC + shift;
        }
        if (sigma > 0) {
            GaussianNoise.add(out, sigma, random);
        }
        for (int i = 0; i < out.length; i++) {
            float v = out[i];
            out[i] = v < 0 ? 0 : (v > 1 ? 1 : v);
        }
        return out;
    }

    private static float bilinear(float[] p, int size, double y, double x) {
        y = Math.max(0, Math.min(size - 1, y));
        x = Math.max(0, Math.min(size - 1, x));
        int y0 = (int) y;
        int x0 = (int) x;
        int y1 = Math.min(size - 1, y0 + 1);
        int x1 = Math.min(size - 1, x0 + 1);
        double fy = y - y0;
        double fx = x - x0;
        double top = p[y0 * size + x0] * (1 - fx) + p[y0 * size + x1] * fx;
        double bottom = p[y1 * size + x0] * (1 - fx) + p[y1 * size + x1] * fx;
        return (float) (top * (1 - fy) + bottom * fy);
    }
}
