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
public final class ConsistencyViewsTask implements PretextTaskGenerator {
    public static final String NAME = "consistency-views";

    private final ViewAugmenter augmenter;

    public ConsistencyViewsTask(AugmentationPolicy policy) {
        this.augmenter = new ViewAugmenter(policy);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String kind() {
        return PretextTask.VIEWS;
    }

    @Override
    public int classes() {
        return 0;
    }

    @Override
    public int[] inputShape(int size) {
        return new int[] {1, size, size};
    }

    @Override
    public int[] targetShape(int size) {
        return new int[] {1, size, size};
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
