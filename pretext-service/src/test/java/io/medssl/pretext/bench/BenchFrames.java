package io.medssl.pretext.bench;

import io.medssl.imaging.PixelArray;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Writes N synthetic S×S frames (smooth anatomy-like blobs plus noise) as a pixel array .npy (as ingest-service stores them) for the benchmark. */
public final class BenchFrames {
    private BenchFrames() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        int s = Integer.parseInt(args[2]);
        Random random = new Random(1);
        float[] data = new float[n * s * s];
        for (int f = 0; f < n; f++) {
            double cy = s * (0.3 + 0.4 * random.nextDouble());
            double cx = s * (0.3 + 0.4 * random.nextDouble());
            double radius = s * (0.2 + 0.15 * random.nextDouble());
            for (int r = 0; r < s; r++) {
                for (int c = 0; c < s; c++) {
                    double d = Math.hypot(r - cy, c - cx) / radius;
                    double v = (d < 1 ? 0.6 - 0.3 * d * d : 0.1) + 0.05 * random.nextGaussian();
                    data[f * s * s + r * s + c] = (float) Math.max(0, Math.min(1, v));
                }
            }
        }
        try (OutputStream o = Files.newOutputStream(out)) {
            new PixelArray(n, s, s, data).writeNpy(o);
        }
    }
}
