package io.medssl.pretext.tasks;

import io.medssl.pretext.augment.AugmentationPolicy;
import io.medssl.pretext.config.PretextConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every pretext task, configured once, and which of them each dataset uses. */
@ApplicationScoped
public class TaskCatalog {
    private final Map<String, PretextTaskGenerator> tasks = new LinkedHashMap<>();
    private final PretextConfig.Pretext config;

    public TaskCatalog(PretextConfig config) {
        this.config = config.pretext();
        int size = this.config.inputSize();
        for (PretextTaskGenerator task : List.of(
                new RotationTask(),
                new JigsawTask(size, this.config.jigsawPermutations(), this.config.patchGap(), this.config.jigsawPerFrame()),
                new RelativePositionTask(size, this.config.patchGap(), this.config.relativePositionPerFrame()),
                new IntensityRestorationTask(),
                new InpaintingTask(),
                new CorruptionDetectionTask(),
                new FrameOrderTask(),
                new ConsistencyViewsTask(AugmentationPolicy.DEFAULT))) {
            tasks.put(task.name(), task);
        }
        // Fail at start, not at the first image, when a configured task does not exist.
        this.config.tasks().forEach(this::get);
        this.config.datasets().values().forEach(d -> d.tasks().forEach(this::get));
    }

    public PretextTaskGenerator get(String name) {
        PretextTaskGenerator task = tasks.get(name.trim());
        if (task == null) {
            throw new IllegalArgumentException("unknown pretext task '" + name + "'; known: " + tasks.keySet());
        }
        return task;
    }

    public List<PretextTaskGenerator> forDataset(String dataset) {
        PretextConfig.DatasetTasks own = config.datasets().get(dataset);
        return (own != null ? own.tasks() : config.tasks()).stream().map(this::get).toList();
    }

    public Map<String, PretextTaskGenerator> all() {
        return Map.copyOf(tasks);
    }
}
