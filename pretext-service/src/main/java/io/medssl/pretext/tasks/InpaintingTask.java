package io.medssl.pretext.tasks;

import io.medssl.contracts.PretextTask;
import io.medssl.imaging.GrayImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Inpainting (Pathak et al., 2016): one to three random rectangles of the frame are blanked; the
 * target is the whole original. Channel 0 is the masked frame, channel 1 the mask (1 = blanked),
 * so the network knows which zeros are missing data and which are dark anatomy.
 */
public final class InpaintingTask extends BasePretextTask {
    public static final String NAME = "inpainting";

    public InpaintingTask() {
        super(NAME, PretextTask.REGRESSION, 0);
    }

    @Override
    public int[] inputShape(int size) {
        return image(2, size);
    }

    @Override
    public int[] targetShape(int size) {
        return image(1, size);
    }

    @Override
    public List<TaskSample> generate(List<GrayImage> frames, SplittableRandom random) {
        List<TaskSample> out = new ArrayList<>(frames.size());
        for (GrayImage frame : frames) {
            int rows = frame.rows();
            int cols = frame.cols();
            int n = rows * cols;
            float[] input = new float[2 * n];
            System.arraycopy(frame.pixels(), 0, input, 0, n);
            int holes = 1 + random.nextInt(3);
            for (int h = 0; h < holes; h++) {
                int height = rows / 8 + random.nextInt(Math.max(1, rows / 8 + 1));
                int width = cols / 8 + random.nextInt(Math.max(1, cols / 8 + 1));
                int top = random.nextInt(rows - height + 1);
                int left = random.nextInt(cols - width + 1);
                for (int r = top; r < top + height; r++) {
                    for (int c = left; c < left + width; c++) {
                        input[r * cols + c] = 0f;
                        input[n + r * cols + c] = 1f;
                    }
                }
            }
            out.add(TaskSample.regressed(input, frame.pixels().clone()));
        }
        return out;
    }
}
