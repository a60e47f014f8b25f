package io.medssl.trainer.jobs;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import io.medssl.contracts.ModelPublished;
import io.medssl.contracts.PretextShardReady;
import io.medssl.models.DjlRuntime;
import io.medssl.models.ModelManifest;
import io.medssl.models.NetworkSpec;
import io.medssl.storage.BlobStore;
import io.medssl.trainer.config.TrainerConfig;
import io.medssl.trainer.messaging.ModelEventPublisher;
import io.medssl.trainer.registry.ModelRegistry;
import io.medssl.trainer.registry.ShardCatalog;
import io.medssl.trainer.ssl.PretextData;
import io.medssl.trainer.ssl.RotationPretraining;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Decides when to train and runs the training, one run at a time (a CPU node has no room for two).
 * New shards arrive in bursts as a study is ingested, so a dataset is trained once no new shard
 * arrived for the quiet period, and only if it has shards the last model did not see.
 */
@ApplicationScoped
public class TrainingScheduler {
    private static final Logger LOG = Logger.getLogger(TrainingScheduler.class);
    private static final String TASK = "rotation";

    private final TrainerConfig config;
    private final ShardCatalog catalog;
    private final ModelRegistry registry;
    private final BlobStore store;
    private final ModelEventPublisher publisher;
    private final Map<String, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();
    private final Map<String, Integer> trainedShardCount = new ConcurrentHashMap<>();
    private final Map<String, TrainingRun> runs = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;
    private ScheduledExecutorService worker;
    private Device device;

    public TrainingScheduler(TrainerConfig config, ShardCatalog catalog, ModelRegistry registry, BlobStore store,
                             ModelEventPublisher publisher) {
        this.config = config;
        this.catalog = catalog;
        this.registry = registry;
        this.store = store;
        this.publisher = publisher;
    }

    void start(@Observes StartupEvent event) {
        DjlRuntime.configure(config.trainer().offline(), config.trainer().threads());
        timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "training-timer"));
        worker = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "training-worker"));
    }

    void stop(@Observes ShutdownEvent event) {
        timer.shutdownNow();
        worker.shutdownNow();
    }

    /** Records a shard and (re)starts the dataset's quiet-period timer. */
    public void onShard(PretextShardReady shard) throws java.io.IOException {
        catalog.add(shard);
        pending.compute(shard.dataset(), (dataset, previous) -> {
            if (previous != null) {
                previous.cancel(false);
            }
            runs.putIfAbsent(dataset, TrainingRun.queued(dataset));
            return timer.schedule(() -> worker.execute(() -> trainIfNew(dataset, false)),
                    config.trainer().quietPeriod().toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    /** Trains the dataset as soon as the worker is free, even without new shards. */
    public void trainNow(String dataset) {
        runs.put(dataset, TrainingRun.queued(dataset));
        worker.execute(() -> trainIfNew(dataset, true));
    }

    public Map<String, TrainingRun> runs() {
        return Map.copyOf(runs);
    }

    private void trainIfNew(String dataset, boolean force) {
        try {
            // This trainer learns the rotation task; shards without it carry nothing for it.
            List<PretextShardReady> shards = catalog.shards(dataset).stream()
                    .filter(s -> PretextData.task(s, TASK).isPresent()).toList();
            if (!force && trainedShardCount.getOrDefault(dataset, -1) == shards.size()) {
                return;
            }
            List<PretextShardReady> train = shards.stream().filter(s -> !"validation".equals(s.split())).toList();
            List<PretextShardReady> validation = shards.stream().filter(s -> "validation".equals(s.split())).toList();
            int trainSamples = train.stream().mapToInt(s -> PretextData.task(s, TASK).orElseThrow().samples()).sum();
            if (trainSamples < config.trainer().minSamples()) {
                LOG.infof("dataset %s: %d training samples, waiting for at least %d", dataset, trainSamples,
                        config.trainer().minSamples());
                runs.put(dataset, new TrainingRun(dataset, "waiting-for-data", 0, 0, null, null, null, null, null, Instant.now()));
                return;
            }
            trainedShardCount.put(dataset, shards.size());
            train(dataset, shards.size(), train, validation);
        } catch (Exception e) {
            LOG.errorf(e, "training of dataset %s failed", dataset);
            runs.put(dataset, new TrainingRun(dataset, "failed", 0, 0, null, null, null, null, e.toString(), Instant.now()));
        }
    }

    private void train(String dataset, int shardCount, List<PretextShardReady> trainShards,
                       List<PretextShardReady> validationShards) throws Exception {
        var t = config.trainer();
        if (device == null) {
            device = DjlRuntime.device(t.device());
        }
        NetworkSpec spec = new NetworkSpec(t.inputSize(), t.width(), 4);
        PretextData train = PretextData.load(store, trainShards, TASK, spec.inputSize());
        // No patient was drawn for validation yet (tiny datasets): report accuracy on training data, and say so.
        boolean heldOut = !validationShards.isEmpty();
        PretextData validation = heldOut ? PretextData.load(store, validationShards, TASK, spec.inputSize()) : train;
        String name = dataset + "-rotation";
        int version = registry.nextVersion(name);
        LOG.infof("training %s v%d on %s: %d train / %d validation samples from %d shards, %d steps of %d",
                name, version, device, train.count(), heldOut ? validation.count() : 0, shardCount, t.steps(), t.batchSize());
        var pretraining = new RotationPretraining(spec, t.steps(), t.batchSize(), t.learningRate(), t.seed());
        try (Model model = Model.newInstance(name, device)) {
            RotationPretraining.Result result = pretraining.train(model, train, validation, device, p -> {
                LOG.infof("%s v%d step %d/%d loss %.4f %.1f img/s ETA %.0fs", name, version, p.step(), p.steps(),
                        p.loss(), p.imagesPerSecond(), p.etaSeconds());
                runs.put(dataset, new TrainingRun(dataset, "running", p.step(), p.steps(), p.loss(), p.imagesPerSecond(),
                        name, version, null, Instant.now()));
            });
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("train_loss", (double) result.finalLoss());
            metrics.put(heldOut ? "validation_accuracy" : "train_accuracy", result.validationAccuracy());
            metrics.put("images_per_second", result.imagesPerSecond());
            Map<String, String> lineage = new LinkedHashMap<>();
            lineage.put("dataset", dataset);
            lineage.put("task", "rotation");
            lineage.put("shards", String.valueOf(shardCount));
            lineage.put("train_samples", String.valueOf(train.count()));
            lineage.put("validation_samples", String.valueOf(heldOut ? validation.count() : 0));
            lineage.put("split", "by patient pseudonym");
            lineage.put("steps", String.valueOf(t.steps()));
            lineage.put("batch_size", String.valueOf(t.batchSize()));
            lineage.put("learning_rate", String.valueOf(t.learningRate()));
            lineage.put("seed", String.valueOf(t.seed()));
            Map<String, String> framework = Map.of(
                    "djl", Engine.getDjlVersion(),
                    "engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion(),
                    "device", device.toString(),
                    "java", System.getProperty("java.version"));
            ModelManifest manifest = new ModelManifest(ModelManifest.FORMAT_VERSION, name, version, "rotation", spec,
                    List.of("rot0", "rot90", "rot180", "rot270"), null, null, metrics, lineage, framework,
                    Instant.now().toString());
            ModelRegistry.Published published = registry.publish(model, manifest);
            publisher.publish(new ModelPublished(ModelPublished.SCHEMA_VERSION, name, version, published.key(),
                    published.manifest().sha256(), manifest.labels(), metrics, lineage));
            LOG.infof("published %s v%d at %s: loss %.4f, %s %.3f", name, version, published.key(), result.finalLoss(),
                    heldOut ? "validation accuracy" : "train accuracy", result.validationAccuracy());
            runs.put(dataset, new TrainingRun(dataset, "published", t.steps(), t.steps(), result.finalLoss(),
                    result.imagesPerSecond(), name, version, null, Instant.now()));
        }
    }
}
