package io.medssl.pretext.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.medssl.imaging.GrayImage;
import io.medssl.pretext.augment.AugmentationPolicy;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FrameOrderAndViewsTaskTest {
    static final int S = 16;

    @Test
    void orderedTripletsAreInAcquisitionOrderShuffledOnesAreNot() {
        List<GrayImage> frames = List.of(TestImages.constant(S, 0.1f), TestImages.constant(S, 0.2f),
                TestImages.constant(S, 0.3f), TestImages.constant(S, 0.4f));
        List<TaskSample> samples = new FrameOrderTask().generate(frames, new SplittableRandom(1));
        assertThat(samples).hasSize(8); // 4 triplets × (ordered, shuffled)
        for (TaskSample s : samples) {
            float a = s.input()[0];
            float b = s.input()[S * S];
            float c = s.input()[2 * S * S];
            boolean ascending = a < b && b < c;
            assertThat(ascending).isEqualTo(s.label() == FrameOrderTask.ORDERED);
            assertThat(a).isNotEqualTo(b);
            assertThat(b).isNotEqualTo(c);
        }
        assertThat(new FrameOrderTask().generate(frames.subList(0, 2), new SplittableRandom(1))).isEmpty();
    }

    @Test
    void withoutAugmentationAViewIsItsSource() {
        GrayImage image = TestImages.noise(S, 7);
        TaskSample s = new ConsistencyViewsTask(AugmentationPolicy.NONE).generate(List.of(image), new SplittableRandom(2)).get(0);
        assertThat(s.input()).containsExactly(image.pixels());
        assertThat(s.target()).containsExactly(image.pixels());
    }

    @Test
    void augmentedViewsDifferFromEachOtherAndRepeatWithTheSeed() {
        GrayImage image = TestImages.noise(64, 8);
        var task = new ConsistencyViewsTask(AugmentationPolicy.DEFAULT);
        TaskSample s = task.generate(List.of(image), new SplittableRandom(3)).get(0);
        assertThat(s.input()).isNotEqualTo(s.target());
        assertThat(s.input()).isNotEqualTo(image.pixels());
        for (float v : s.input()) {
            assertThat(v).isBetween(0f, 1f);
        }
        TaskSample again = task.generate(List.of(image), new SplittableRandom(3)).get(0);
        assertThat(again.input()).containsExactly(s.input());
        assertThat(again.target()).containsExactly(s.target());
    }
}
