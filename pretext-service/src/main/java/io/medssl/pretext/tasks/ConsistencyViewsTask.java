package io.medssl.pretext.tasks;

import io.medssl.contracts.PretextTask;
import io.medssl.imaging.GrayImage;
import io.medssl.pretext.augment.AugmentationPolicy;
import io.medssl.pretext.augment.ViewAugmenter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Two independently augmented views of each frame, for a consistency loss (UDA's KL between the
 * predictions on both views, or InfoNCE between their embeddings). Input is view A, target view B.
 */
public final class ConsistencyViewsTask extends BasePretextTask {
    public static final String NAME = "consistency-views";

    private final ViewAugmenter augmenter;

    public ConsistencyViewsTask(AugmentationPolicy policy) {
        super(NAME, PretextTask.VIEWS, 0);
        this.augmenter = new ViewAugmenter(policy);
    }

    @Override
    public int[] inputShape(int size) {
        return image(1, size);
    }

    @Override
    public int[] targetShape(int size) {
        return image(1, size);
    }

    @Override
    public List<TaskSample> generate(List<GrayImage> frames, SplittableRandom random) {
        List<TaskSample> out = new ArrayList<>(frames.size());
        for (GrayImage frame : frames) {
            out.add(TaskSample.regressed(augmenter.view(frame, random), augmenter.view(frame, random)));
        }
        return out;
    }
}
