package io.medssl.pretext.augment;

/**
 * Ranges of the random augmentations of a consistency view. {@link #DEFAULT} follows the usual
 * SimCLR/UDA recipe toned down for grayscale medical images (no colour jitter, mild rotation);
 * {@link #NONE} is the identity and makes a view equal to its source.
 */
public record AugmentationPolicy(
        double minCropScale,
        double maxAspectRatio,
        double flipProbability,
        double maxRotationDegrees,
        double maxLogGamma,
        double maxContrast,
        double maxBrightness,
        double maxNoiseSigma,
        double blurProbability) {

    public static final AugmentationPolicy DEFAULT = new AugmentationPolicy(0.5, 4.0 / 3, 0.5, 10, Math.log(1.4), 0.2, 0.1, 0.03, 0.3);
    public static final AugmentationPolicy NONE = new AugmentationPolicy(1, 1, 0, 0, 0, 0, 0, 0, 0);
}
