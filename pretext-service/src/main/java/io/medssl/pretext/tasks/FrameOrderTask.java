package io.medssl.pretext.tasks;

import io.medssl.imaging.GrayImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Frame/slice order (Misra et al., 2016, "shuffle and learn"): three frames of a multi-frame
 * object, either in acquisition order (class 1) or with the middle one out of place (class 0).
 * Objects with fewer than three frames give no samples. Each ordered triplet i &lt; j &lt; k of the
 * given frames yields one ordered and one shuffled sample.
 */
public final class FrameOrderTask extends BasePretextTask {
    public static final String NAME = "frame-order";
    public static final int SHUFFLED = 0;
    public static final int ORDERED = 1;

    public FrameOrderTask() {
        super(NAME, 2);
    }

    @Override
    public int[] inputShape(int size) {
        return image(3, size);
    }

    @Override
    public List<TaskSample> generate(List<GrayImage> frames, SplittableRandom random) {
        List<TaskSample> out = new ArrayList<>();
        int n = frames.size();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                for (int k = j + 1; k < n; k++) {
                    out.add(TaskSample.classified(stack(frames, i, j, k), ORDERED));
                    // Put the middle frame first or last: (j, i, k) or (i, k, j).
                    out.add(TaskSample.classified(random.nextBoolean() ? stack(frames, j, i, k) : stack(frames, i, k, j), SHUFFLED));
                }
            }
        }
        return out;
    }

    private static float[] stack(List<GrayImage> frames, int a, int b, int c) {
        int n = frames.get(a).pixels().length;
        float[] out = new float[3 * n];
        System.arraycopy(frames.get(a).pixels(), 0, out, 0, n);
        System.arraycopy(frames.get(b).pixels(), 0, out, n, n);
        System.arraycopy(frames.get(c).pixels(), 0, out, 2 * n, n);
        return out;
    }
}
