package io.medssl.pretext.tasks;

import io.medssl.imaging.GrayImage;
import java.util.Random;

final class TestImages {
    private TestImages() {
    }

    static GrayImage noise(int size, long seed) {
        Random r = new Random(seed);
        float[] p = new float[size * size];
        for (int i = 0; i < p.length; i++) {
            p[i] = r.nextFloat();
        }
        return new GrayImage(size, size, p);
    }

    static GrayImage constant(int size, float value) {
        float[] p = new float[size * size];
        java.util.Arrays.fill(p, value);
        return new GrayImage(size, size, p);
    }

    static float[] channel(float[] input, int channel, int side) {
        return java.util.Arrays.copyOfRange(input, channel * side * side, (channel + 1) * side * side);
    }
}
