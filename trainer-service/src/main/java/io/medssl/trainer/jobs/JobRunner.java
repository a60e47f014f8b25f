package io.medssl.trainer.jobs;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.medssl.contracts.ModelPublished;
import io.medssl.contracts.PretextShardReady;
import io.medssl.contracts.PretextTask;
import io.medssl.models.DjlRuntime;
import io.medssl.models.ModelManifest;
import io.medssl.models.ModelPackage;
import io.medssl.models.MultiTaskNetwork;
import io.medssl.models.NetworkSpec;
import io.medssl.models.Networks;
import io.medssl.models.PretextHead;
import io.medssl.models.StagedClassifier;
import io.medssl.storage.BlobStore;
import io.medssl.trainer.TrainingProgress;
import io.medssl.trainer.config.TrainerConfig;
import io.medssl.trainer.data.LabeledImages;
import io.medssl.trainer.data.LabeledStudies;
import io.medssl.trainer.data.PretextSamples;
import io.medssl.trainer.eval.Charts;
import io.medssl.trainer.eval.ClassificationMetrics;
import io.medssl.trainer.finetune.FineTuning;
import io.medssl.trainer.loss.ConsistencyLoss;
import io.medssl.trainer.messaging.ModelEventPublisher;
import io.medssl.trainer.registry.ModelCard;
import io.medssl.trainer.registry.ModelRegistry;
import io.medssl.trainer.registry.ShardCatalog;
import io.medssl.trainer.registry.StudyCatalog;
import io.medssl.trainer.ssl.MultiTaskPretraining;
import io.medssl.trainer.ssl.TrainingHooks;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;

/** Does the work of one job: loads its data, trains, evaluates, publishes the model package. */
@ApplicationScoped
public class JobRunner {
    private static final Logger LOG = Logger.getLogger(JobRunner.class);

    /** What a finished job produced. */
    public record Outcome(String modelName, Integer modelVersion, String metricsJson) {
    }

    /** The job service's side of a run. */
    public interface Listener {
        void progress(TrainingProgress progress);

        boolean cancelled();

        void checkpointed(int step, String key);
    }

    private final TrainerConfig config;
    private final ShardCatalog shards;
    private final StudyCatalog studies;
    private final ModelRegistry registry;
    private final BlobStore store;
    private final ModelEventPublisher publisher;
    private final ObjectMapper json;
    private Device[] devices;

    public JobRunner(TrainerConfig config, ShardCatalog shards, StudyCatalog studies, ModelRegistry registry, BlobStore store,
                     ModelEventPublisher publisher, ObjectMapper json) {
        this.config = config;
        this.shards = shards;
        this.studies = studies;
        this.registry = registry;
        this.store = store;
        this.publisher = publisher;
        this.json = json;
    }

    /** The request with every default filled in; IllegalArgumentException says what is wrong. */
    public JobRequest complete(JobRequest r) {
        if (r == null) {
            throw new IllegalArgumentException("a job request body is required");
        }
        String type = r.type() == null ? null : r.type().trim().toLowerCase(Locale.ROOT);
        if (!JobRequest.PRETRAIN.equals(type) && !JobRequest.FINETUNE.equals(type) && !JobRequest.EXPERIMENT.equals(type)) {
            throw new IllegalArgumentException("type must be pretrain, finetune or experiment");
        }
        if (r.dataset() == null || !r.dataset().matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("dataset must be a name of letters, digits, '.', '_' or '-'");
        }
        var t = config.trainer();
        boolean experiment = JobRequest.EXPERIMENT.equals(type);
        boolean pretrain = JobRequest.PRETRAIN.equals(type) || experiment;
        int batch = positive(r.batchSize(), t.batchSize(), "batchSize");
        float rate = r.learningRate() == null ? (pretrain ? t.learningRate() : t.finetune().learningRate()) : r.learningRate();
        if (!(rate > 0) || rate > 1) {
            throw new IllegalArgumentException("learningRate must be in (0, 1]");
        }
        JobRequest.Consistency c = r.consistency();
        JobRequest.Consistency consistency;
        if (c == null) {
            consistency = pretrain && !"none".equals(t.consistency().kind())
                    ? new JobRequest.Consistency(t.consistency().kind(), t.consistency().weight(), t.consistency().temperature())
                    : new JobRequest.Consistency("none", 0f, t.consistency().temperature());
        } else {
            String kind = c.kind() == null ? t.consistency().kind() : c.kind();
            float weight = c.weight() == null ? t.consistency().weight() : c.weight();
            float temperature = c.temperature() == null ? t.consistency().temperature() : c.temperature();
            if (!"none".equals(kind)) {
                new ConsistencyLoss(ConsistencyLoss.Kind.parse(kind), weight, temperature);
            }
            consistency = new JobRequest.Consistency(kind, weight, temperature);
        }
        double fraction = r.labelFraction() == null ? 1.0 : r.labelFraction();
        if (!(fraction > 0) || fraction > 1) {
            throw new IllegalArgumentException("labelFraction must be in (0, 1]");
        }
        if (r.steps() != null && r.steps() < 1 || r.epochs() != null && r.epochs() < 1) {
            throw new IllegalArgumentException("steps and epochs must be positive");
        }
        Integer steps = r.steps() == null && r.epochs() == null ? Integer.valueOf(pretrain ? t.steps() : t.finetune().steps()) : r.steps();
        int width = positive(r.width(), t.width(), "width");
        int depth = positive(r.depth(), t.depth(), "depth");
        new NetworkSpec(t.inputSize(), width, 2, depth);
        String name = r.modelName() != null ? r.modelName() : r.dataset() + (pretrain ? "-ssl" : "-classifier");
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("modelName must be letters, digits, '.', '_' or '-'");
        }
        String pretrained = pretrain || r.pretrained() == null || r.pretrained().isBlank() ? "none" : r.pretrained().trim();
        List<Double> fractions = null;
        Integer finetuneSteps = null;
        if (experiment) {
            fractions = r.labelFractions() == null || r.labelFractions().isEmpty() ? List.of(0.01, 0.1, 1.0) : r.labelFractions();
            for (double f : fractions) {
                if (!(f > 0) || f > 1) {
                    throw new IllegalArgumentException("labelFractions must be in (0, 1]");
                }
            }
            finetuneSteps = positive(r.finetuneSteps(), t.finetune().steps(), "finetuneSteps");
            if ("none".equals(consistency.kind()) || consistency.weight() <= 0) {
                throw new IllegalArgumentException("the experiment compares SSL with and without a consistency term: give it one");
            }
        }
        return new JobRequest(type, r.dataset(), r.tasks(), r.epochs(), steps, batch, rate, consistency, fraction,
                r.seed() == null ? t.seed() : r.seed(), pretrained, Boolean.TRUE.equals(r.uda()), width, depth, name, fractions,
                finetuneSteps);
    }

    private static int positive(Integer value, int fallback, String field) {
        int v = value == null ? fallback : value;
        if (v < 1) {
            throw new IllegalArgumentException(field + " must be positive");
        }
        return v;
    }

    public Outcome run(TrainingJob job, JobRequest request, Listener listener) throws Exception {
        if (devices == null) {
            devices = DjlRuntime.devices(config.trainer().devices());
        }
        return switch (request.type()) {
            case JobRequest.PRETRAIN -> pretrain(job, request, listener, true);
            case JobRequest.FINETUNE -> finetune(request, listener);
            default -> experiment(job, request, listener);
        };
    }

    // ---------------------------------------------------------------- label-efficiency experiment

    /**
     * Pretrains twice (pretext losses with and without the consistency term), then fine-tunes from
     * scratch and from each backbone at every label fraction, on the same patient split and seed.
     * The fine-tuned models are measured, not published; the table, JSON and plot go to
     * {@code experiments/<job>/}.
     */
    private Outcome experiment(TrainingJob job, JobRequest r, Listener listener) throws Exception {
        long started = System.nanoTime();
        Map<String, String> backbones = new LinkedHashMap<>();
        backbones.put("scratch", "none");
        String[][] variants = {{"ssl-pretext", "none"}, {"ssl-consistency", r.consistency().kind()}};
        for (String[] variant : variants) {
            JobRequest pre = new JobRequest(JobRequest.PRETRAIN, r.dataset(), r.tasks(), r.epochs(), r.steps(), r.batchSize(),
                    r.learningRate(), "none".equals(variant[1]) ? new JobRequest.Consistency("none", 0f, r.consistency().temperature())
                    : r.consistency(), null, r.seed(), "none", false, r.width(), r.depth(), r.dataset() + "-" + variant[0], null, null);
            LOG.infof("experiment %s: pretraining %s", job.id, pre.modelName());
            // Part of the experiment, not a job of its own: no checkpoints (an interrupted experiment starts over).
            Outcome outcome = pretrain(new TrainingJob(), pre, listener, false);
            backbones.put(variant[0], outcome.modelName() + ":" + outcome.modelVersion());
        }
        LabeledStudies.Split split = LabeledStudies.load(store, studies.instances(r.dataset()), studies.labels(r.dataset()),
                config.trainer().inputSize(), config.trainer().validationPercent());
        Map<String, Map<Double, Double>> auc = new LinkedHashMap<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (double fraction : r.labelFractions()) {
            for (Map.Entry<String, String> backbone : backbones.entrySet()) {
                JobRequest tune = new JobRequest(JobRequest.FINETUNE, r.dataset(), null, null, r.finetuneSteps(), r.batchSize(),
                        config.trainer().finetune().learningRate(), new JobRequest.Consistency("none", 0f, 1f), fraction, r.seed(),
                        backbone.getValue(), false, r.width(), r.depth(), r.dataset() + "-" + backbone.getKey(), null, null);
                try (Model model = Model.newInstance(tune.modelName(), devices[0])) {
                    FineTuned tuned = finetune(model, tune, split, hooks(listener, null));
                    auc.computeIfAbsent(backbone.getKey(), k -> new LinkedHashMap<>()).put(fraction, tuned.metrics().macroAuc());
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("method", backbone.getKey());
                    row.put("backbone", backbone.getValue());
                    row.put("label_fraction", fraction);
                    row.put("train_images", tuned.train().count());
                    row.put("validation_images", tuned.validation().count());
                    row.put("macro_auc", tuned.metrics().macroAuc());
                    row.put("accuracy", tuned.metrics().accuracy());
                    row.put("per_class_auc", tuned.metrics().perClassAuc());
                    rows.add(row);
                    LOG.infof("experiment %s: %s at %.0f%% labels (%d images): macro AUC %.3f, accuracy %.3f", job.id,
                            backbone.getKey(), 100 * fraction, tuned.train().count(), tuned.metrics().macroAuc(),
                            tuned.metrics().accuracy());
                }
            }
        }
        String prefix = "experiments/" + job.id + "/";
        byte[] plot = png(file -> Charts.labelEfficiency(auc, "Label efficiency on " + r.dataset()
                + " (macro AUC, held-out patients)", file));
        store.put(prefix + "label-efficiency.png", out -> out.write(plot));
        String markdown = experimentTable(r, split, auc, backbones, (System.nanoTime() - started) / 1e9);
        store.put(prefix + "label-efficiency.md", out -> out.write(markdown.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("dataset", r.dataset());
        report.put("train_images", split.train().count());
        report.put("validation_images", split.validation().count());
        report.put("backbones", backbones);
        report.put("runs", rows);
        report.put("report", prefix + "label-efficiency.md");
        report.put("plot", prefix + "label-efficiency.png");
        byte[] reportJson = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(report);
        store.put(prefix + "label-efficiency.json", out -> out.write(reportJson));
        LOG.infof("experiment %s done:%n%s", job.id, markdown);
        return new Outcome(null, null, json.writeValueAsString(report));
    }

    private String experimentTable(JobRequest r, LabeledStudies.Split split, Map<String, Map<Double, Double>> auc,
                                   Map<String, String> backbones, double seconds) {
        StringBuilder md = new StringBuilder();
        md.append("# Label efficiency: ").append(r.dataset()).append("\n\n");
        md.append(String.format(Locale.ROOT, "Macro AUC on %d held-out images (%d %% of patients, split by pseudonym); "
                        + "fine-tuning pool %d labelled images; seed %d; pretraining %d steps, fine-tuning %d steps, batch %d; "
                        + "consistency %s (λ %.2f, τ %.2f); %.0f s in all.%n%n",
                split.validation().count(), config.trainer().validationPercent(), split.train().count(), r.seed(), r.steps(),
                r.finetuneSteps(), r.batchSize(), r.consistency().kind(), r.consistency().weight(), r.consistency().temperature(),
                seconds));
        md.append("| method | backbone |");
        r.labelFractions().forEach(f -> md.append(String.format(Locale.ROOT, " %s %% labels |", pct(f))));
        md.append("\n|---|---|");
        r.labelFractions().forEach(f -> md.append("---:|"));
        md.append("\n");
        auc.forEach((method, byFraction) -> {
            md.append("| ").append(method).append(" | ").append(backbones.get(method)).append(" |");
            r.labelFractions().forEach(f -> md.append(String.format(Locale.ROOT, " %.3f |", byFraction.getOrDefault(f, Double.NaN))));
            md.append("\n");
        });
        Map<Double, Double> scratch = auc.get("scratch");
        Map<Double, Double> best = auc.get("ssl-consistency");
        if (scratch != null && best != null) {
            md.append("\nSSL + consistency − scratch (AUC points):");
            r.labelFractions().forEach(f -> md.append(String.format(Locale.ROOT, " %s %%: %+.1f;", pct(f),
                    100 * (best.getOrDefault(f, Double.NaN) - scratch.getOrDefault(f, Double.NaN)))));
            md.append("\n");
        }
        return md.toString();
    }

    private static String pct(double fraction) {
        double p = 100 * fraction;
        return p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p);
    }

    private NetworkSpec spec(JobRequest r, int classes) {
        return new NetworkSpec(config.trainer().inputSize(), r.width(), classes, r.depth());
    }

    private static ConsistencyLoss consistency(JobRequest r) {
        JobRequest.Consistency c = r.consistency();
        if (c == null || "none".equals(c.kind()) || c.weight() == null || c.weight() <= 0) {
            return null;
        }
        return new ConsistencyLoss(ConsistencyLoss.Kind.parse(c.kind()), c.weight(), c.temperature());
    }

    private TrainingHooks hooks(Listener listener, String checkpointKey) {
        return hooks(listener, checkpointKey, null);
    }

    /**
     * Logs progress and passes it on; writes checkpoints under {@code checkpointKey} (null: none);
     * records each loss as a (step, value) curve into {@code curves} when given (for the chart).
     */
    private TrainingHooks hooks(Listener listener, String checkpointKey, Map<String, List<double[]>> curves) {
        return new TrainingHooks() {
            @Override
            public void progress(TrainingProgress p) {
                LOG.infof("step %d/%d epoch %.2f loss %s lr %.2e %.1f img/s ETA %.0fs", p.step(), p.steps(), p.epoch(),
                        p.losses(), p.learningRate(), p.imagesPerSecond(), p.etaSeconds());
                if (curves != null) {
                    p.losses().forEach((k, v) -> curves.computeIfAbsent(k, x -> new ArrayList<>()).add(new double[] {p.step(), v}));
                }
                listener.progress(p);
            }

            @Override
            public boolean cancelled() {
                return listener.cancelled();
            }

            @Override
            public void checkpoint(int step, Block block) throws IOException {
                if (checkpointKey == null) {
                    return;
                }
                store.put(checkpointKey, out -> block.saveParameters(new DataOutputStream(out)));
                listener.checkpointed(step, checkpointKey);
                LOG.infof("checkpoint at step %d: %s", step, checkpointKey);
            }
        };
    }

    // ---------------------------------------------------------------- pretraining

    private Outcome pretrain(TrainingJob job, JobRequest r, Listener listener, boolean checkpoints) throws Exception {
        List<PretextShardReady> all = shards.shards(r.dataset());
        if (all.isEmpty()) {
            throw new IllegalArgumentException("dataset " + r.dataset() + " has no pretext shards");
        }
        List<String> tasks = r.tasks() == null || r.tasks().isEmpty()
                ? new ArrayList<>(PretextSamples.tasks(all).keySet()) : r.tasks();
        List<PretextShardReady> trainShards = all.stream().filter(s -> !"validation".equals(s.split())).toList();
        List<PretextShardReady> validationShards = all.stream().filter(s -> "validation".equals(s.split())).toList();
        Map<String, PretextSamples> train = PretextSamples.load(store, trainShards, tasks);
        Map<String, PretextSamples> validation = PretextSamples.load(store, validationShards, tasks);
        ConsistencyLoss consistency = consistency(r);
        List<PretextHead> heads = MultiTaskPretraining.heads(train, consistency != null);
        PretextHead primary = heads.stream().filter(h -> h.layout() == PretextHead.Layout.IMAGE_CLASSIFICATION)
                .findFirst().orElseThrow(() -> new IllegalArgumentException(
                        "pretraining needs a single-image classification task (rotation or corruption) to publish a servable model"));
        int maxSamples = train.values().stream().mapToInt(PretextSamples::count).max().orElse(0);
        if (maxSamples < config.trainer().minSamples()) {
            throw new IllegalArgumentException("dataset " + r.dataset() + " has " + maxSamples + " training samples, fewer than "
                    + config.trainer().minSamples());
        }
        int steps = r.steps() != null ? r.steps() : (int) Math.ceil((double) r.epochs() * maxSamples / r.batchSize());
        NetworkSpec spec = spec(r, primary.classes());
        byte[] resume = null;
        int startStep = 0;
        if (job.checkpointKey != null && job.checkpointStep > 0 && store.exists(job.checkpointKey)) {
            try (InputStream in = store.open(job.checkpointKey)) {
                resume = in.readAllBytes();
            }
            startStep = job.checkpointStep;
            LOG.infof("job %s resumes at step %d from %s", job.id, startStep, job.checkpointKey);
        }
        var settings = new MultiTaskPretraining.Settings(spec, steps, r.batchSize(), r.learningRate(), consistency, r.seed(),
                config.trainer().checkpointEvery(), startStep, resume);
        LOG.infof("pretraining %s on %s: tasks %s, %d steps of %d, consistency %s, %d train / %d validation shards",
                r.modelName(), java.util.Arrays.toString(devices), heads.stream().map(PretextHead::task).toList(), steps,
                r.batchSize(), consistency, trainShards.size(), validationShards.size());
        Map<String, List<double[]>> curves = new LinkedHashMap<>();
        try (Model model = Model.newInstance(r.modelName(), devices[0])) {
            TrainingHooks hooks = hooks(listener, checkpoints ? "trainer/jobs/" + job.id + "/checkpoint.params" : null, curves);
            MultiTaskPretraining.Result result = new MultiTaskPretraining(settings).train(model, train, validation, devices, hooks);
            MultiTaskNetwork network = (MultiTaskNetwork) model.getBlock();
            StagedClassifier servable = Networks.classifier(network.backbone(), network.headBlock(primary.task()));
            servable.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, spec.inputSize(), spec.inputSize()));
            Map<String, Double> metrics = new LinkedHashMap<>(result.validation());
            metrics.put("images_per_second", result.imagesPerSecond());
            result.trainLosses().forEach((k, v) -> metrics.put("train_loss_" + k, (double) v));
            if (startStep > 0) {
                metrics.put("resumed_from_step", (double) startStep);
            }
            Map<String, String> lineage = lineage(r, "pretext shards by patient pseudonym");
            lineage.put("train_shards", String.valueOf(trainShards.size()));
            lineage.put("validation_shards", String.valueOf(validationShards.size()));
            train.forEach((task, s) -> lineage.put("train_samples_" + task, String.valueOf(s.count())));
            Map<String, Object> hyper = hyper(r, steps);
            hyper.put("heads", heads.stream().map(h -> h.task() + ":" + h.layout()).toList());
            List<String> labels = labels(train.get(primary.task()).task());
            byte[] chart = chart(curves, r.modelName() + " pretraining");
            return publish(servable, r.modelName(), "pretrain:" + primary.task(), spec, labels, metrics, lineage, hyper,
                    heads.stream().map(PretextHead::task).toList(), null, Map.of("training-curves.png", chart),
                    "Self-supervised backbone; its head predicts the " + primary.task()
                            + " pretext task, not a diagnosis. Fine-tune it before clinical use of any kind.");
        }
    }

    private static List<String> labels(PretextTask task) {
        if ("rotation".equals(task.name()) && task.classes() == 4) {
            return List.of("rot0", "rot90", "rot180", "rot270");
        }
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < task.classes(); i++) {
            labels.add(task.name() + "-" + i);
        }
        return labels;
    }

    // ---------------------------------------------------------------- fine-tuning

    /** A fine-tuning run's measurements, before publishing (the label-efficiency experiment uses this too). */
    public record FineTuned(FineTuning.Result result, ClassificationMetrics metrics, LabeledImages train, LabeledImages validation) {
    }

    private Outcome finetune(JobRequest r, Listener listener) throws Exception {
        LabeledStudies.Split split = LabeledStudies.load(store, studies.instances(r.dataset()), studies.labels(r.dataset()),
                config.trainer().inputSize(), config.trainer().validationPercent());
        Map<String, List<double[]>> curves = new LinkedHashMap<>();
        try (Model model = Model.newInstance(r.modelName(), devices[0])) {
            FineTuned tuned = finetune(model, r, split, hooks(listener, null, curves));
            ClassificationMetrics m = tuned.metrics();
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("accuracy", m.accuracy());
            metrics.put("macro_auc", m.macroAuc());
            m.perClassAuc().forEach((k, v) -> metrics.put("auc_" + k, v));
            metrics.put("images_per_second", tuned.result().imagesPerSecond());
            Map<String, String> lineage = lineage(r, "labelled studies by patient pseudonym");
            lineage.put("pretrained", r.pretrained());
            lineage.put("label_fraction", String.valueOf(r.labelFraction()));
            lineage.put("train_images", String.valueOf(tuned.train().count()));
            lineage.put("validation_images", String.valueOf(tuned.validation().count()));
            byte[] rocPng = png(file -> Charts.rocCurves(ClassificationMetrics.rocCurves(tuned.result().validationProbabilities(),
                    tuned.result().validationTruth(), m.classes()), r.modelName() + " — held-out ROC", file));
            Map<String, byte[]> extras = Map.of("roc.png", rocPng, "training-curves.png", chart(curves, r.modelName() + " fine-tuning"));
            return publish((StagedClassifier) model.getBlock(), r.modelName(), "classification",
                    spec(r, m.classes().size()), m.classes(), metrics, lineage, hyper(r, r.steps()), List.of(), m.confusion(), extras,
                    "Research use: a classifier fine-tuned on " + tuned.train().count() + " labelled images of dataset "
                            + r.dataset() + ". Not a medical device.");
        }
    }

    /** Loads the backbone, fine-tunes on the requested label fraction and measures on held-out patients. */
    public FineTuned finetune(Model model, JobRequest r, LabeledStudies.Split split, TrainingHooks hooks) throws Exception {
        if (split.train().count() == 0 || split.validation().count() == 0) {
            throw new IllegalArgumentException("dataset " + r.dataset() + " has " + split.train().count() + " labelled training and "
                    + split.validation().count() + " held-out images; fine-tuning needs both (are labels assigned?)");
        }
        LabeledImages subset = LabeledStudies.fraction(split.train(), r.labelFraction(), r.seed());
        int steps = r.steps() != null ? r.steps() : (int) Math.ceil((double) r.epochs() * subset.count() / r.batchSize());
        byte[] backbone = "none".equals(r.pretrained()) ? null : backboneOf(r.pretrained());
        ConsistencyLoss uda = r.uda() ? consistency(r) : null;
        PretextSamples unlabeled = null;
        if (uda != null) {
            List<PretextShardReady> trainShards = shards.shards(r.dataset()).stream()
                    .filter(s -> !"validation".equals(s.split())).toList();
            String views = PretextSamples.tasks(trainShards).values().stream()
                    .filter(t -> PretextTask.VIEWS.equals(t.kind())).map(PretextTask::name).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("uda needs consistency views in the dataset's shards"));
            unlabeled = PretextSamples.load(store, trainShards, List.of(views)).get(views);
        }
        NetworkSpec spec = spec(r, split.train().classes().size());
        var settings = new FineTuning.Settings(spec, steps, r.batchSize(), r.learningRate(), config.trainer().finetune().stageDecay(),
                unfreezeAt(), config.trainer().finetune().freezeBatchNorm(), true, uda, r.seed(), backbone);
        LOG.infof("fine-tuning %s from %s on %d images (%.0f%% of %d labelled training images), %d held out, %d steps",
                r.modelName(), r.pretrained(), subset.count(), 100 * r.labelFraction(), split.train().count(),
                split.validation().count(), steps);
        FineTuning.Result result = new FineTuning(settings).train(model, subset, split.validation(), unlabeled, devices, hooks);
        ClassificationMetrics metrics = ClassificationMetrics.compute(result.validationProbabilities(), result.validationTruth(),
                split.validation().classes());
        return new FineTuned(result, metrics, subset, split.validation());
    }

    private float[] unfreezeAt() {
        List<Float> at = config.trainer().finetune().unfreezeAt();
        if (at.size() != 2 || !(at.get(0) >= 0) || at.get(1) < at.get(0) || at.get(1) > 1) {
            throw new IllegalArgumentException("medssl.trainer.finetune.unfreeze-at must be two increasing fractions in [0, 1]");
        }
        return new float[] {at.get(0), at.get(1)};
    }

    /** The backbone parameters of a published pretrain model ({@code name} or {@code name:version}). */
    private byte[] backboneOf(String reference) throws IOException {
        String name = reference.contains(":") ? reference.substring(0, reference.indexOf(':')) : reference;
        Integer version = reference.contains(":") ? Integer.valueOf(reference.substring(reference.indexOf(':') + 1)) : null;
        Path dir = registry.packageDir(name, version)
                .orElseThrow(() -> new IllegalArgumentException("no model " + reference + " in the registry"));
        try (Model pretrained = ModelPackage.load(dir, Device.cpu())) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ((StagedClassifier) pretrained.getBlock()).backbone().saveParameters(new DataOutputStream(bytes));
            return bytes.toByteArray();
        }
    }

    // ---------------------------------------------------------------- publishing

    private Map<String, String> lineage(JobRequest r, String split) {
        Map<String, String> lineage = new LinkedHashMap<>();
        lineage.put("dataset", r.dataset());
        lineage.put("split", split + ", " + config.trainer().validationPercent() + " % of patients held out");
        lineage.put("seed", String.valueOf(r.seed()));
        return lineage;
    }

    private Map<String, Object> hyper(JobRequest r, int steps) {
        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("steps", steps);
        hyper.put("batch_size", r.batchSize());
        hyper.put("max_learning_rate", r.learningRate());
        hyper.put("schedule", "one-cycle (cosine, 30 % warm-up)");
        hyper.put("optimizer", "Adam");
        hyper.put("consistency", r.consistency());
        hyper.put("network", "ResNet-style, width " + r.width() + ", depth " + r.depth() + ", input " + config.trainer().inputSize());
        if (JobRequest.FINETUNE.equals(r.type())) {
            hyper.put("stage_learning_rate_decay", config.trainer().finetune().stageDecay());
            float[] at = unfreezeAt();
            hyper.put("unfreezing", String.format(Locale.ROOT, "head → +stage3 at %.0f %% → all at %.0f %% of steps (pretrained only)",
                    100 * at[0], 100 * at[1]));
            hyper.put("frozen_batchnorm", config.trainer().finetune().freezeBatchNorm());
            hyper.put("uda", r.uda());
        }
        return hyper;
    }

    private static byte[] chart(Map<String, List<double[]>> curves, String title) throws IOException {
        return png(file -> Charts.trainingCurves(curves, title, file));
    }

    /** A chart writer's output as bytes (Charts writes to files; packages and storage take bytes). */
    private interface ChartWriter {
        void write(Path png) throws IOException;
    }

    private static byte[] png(ChartWriter writer) throws IOException {
        Path png = Files.createTempFile("medssl-chart", ".png");
        try {
            writer.write(png);
            return Files.readAllBytes(png);
        } finally {
            Files.deleteIfExists(png);
        }
    }

    private Outcome publish(StagedClassifier block, String name, String task, NetworkSpec spec, List<String> labels,
                            Map<String, Double> metrics, Map<String, String> lineage, Map<String, Object> hyper,
                            List<String> pretextTasks, int[][] confusion, Map<String, byte[]> files, String intendedUse)
            throws Exception {
        int version = registry.nextVersion(name);
        Map<String, String> framework = new LinkedHashMap<>();
        framework.put("djl", Engine.getDjlVersion());
        framework.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        framework.put("devices", java.util.Arrays.toString(devices));
        framework.put("java", System.getProperty("java.version"));
        String created = Instant.now().toString();
        ModelManifest manifest = new ModelManifest(ModelManifest.FORMAT_VERSION, name, version, task, spec, labels, null, null,
                metrics, lineage, framework, created);
        try (Model model = Model.newInstance(name, devices[0])) {
            model.setBlock(block);
            ModelRegistry.Published published = registry.publish(model, manifest, written -> {
                ModelCard card = new ModelCard(name, version, task, intendedUse, labels, lineage, pretextTasks, hyper, metrics,
                        confusion, framework, written.sha256(), created);
                Map<String, byte[]> extras = new LinkedHashMap<>(files);
                try {
                    extras.put("model-card.json", json.writerWithDefaultPrettyPrinter().writeValueAsBytes(card));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                extras.put("model-card.md", card.markdown().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                return extras;
            });
            publisher.publish(new ModelPublished(ModelPublished.SCHEMA_VERSION, name, version, published.key(),
                    published.manifest().sha256(), labels, metrics, lineage));
            LOG.infof("published %s v%d at %s: %s", name, version, published.key(), metrics);
            return new Outcome(name, version, json.writeValueAsString(metrics));
        }
    }
}
