package io.medssl.inference.routing;

import io.medssl.contracts.InferenceResult;
import io.medssl.contracts.InstanceIngested;
import io.medssl.imaging.PixelArray;
import io.medssl.inference.config.InferenceConfig;
import io.medssl.inference.registry.LoadedModel;
import io.medssl.inference.registry.ModelCatalog;
import io.smallrye.common.annotation.Blocking;
import io.medssl.messaging.AckedPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Infers on newly ingested instances that a route sends to a loaded model, reading the normalised
 * pixels ingest stored (never the DICOM object: it holds no PHI), and announces each result on
 * medssl.inference-results for ingest to report back to the PACS.
 */
@ApplicationScoped
public class InstanceRouter {
    private static final Logger LOG = Logger.getLogger(InstanceRouter.class);

    private final InferenceConfig config;
    private final ModelCatalog catalog;

    @Channel("results-out")
    Emitter<InferenceResult> results;

    public InstanceRouter(InferenceConfig config, ModelCatalog catalog) {
        this.config = config;
        this.catalog = catalog;
    }

    /** The model name the first matching route names, if any. */
    public Optional<String> route(InstanceIngested instance) {
        for (InferenceConfig.Route r : config.routes()) {
            if (matches(r.dataset(), instance.dataset()) && matches(r.modality(), instance.modality())
                    && matches(r.bodyPart(), instance.bodyPart())) {
                return Optional.of(r.model());
            }
        }
        return Optional.empty();
    }

    private static boolean matches(Optional<String> wanted, String actual) {
        return wanted.isEmpty() || wanted.get().equals("*") || wanted.get().equalsIgnoreCase(actual == null ? "" : actual);
    }

    @Incoming("instances-in")
    @Blocking
    public void consume(InstanceIngested instance) throws Exception {
        if (instance == null || !instance.decodable() || instance.pixelKey() == null) {
            return;
        }
        Optional<String> modelName = route(instance);
        if (modelName.isEmpty()) {
            return;
        }
        Optional<LoadedModel> model = catalog.serving(modelName.get());
        if (model.isEmpty()) {
            LOG.warnf("route for instance %s names model %s, which is not loaded: no inference", instance.instanceId(), modelName.get());
            return;
        }
        PixelArray pixels;
        try (InputStream in = Files.newInputStream(config.storage().root().resolve(instance.pixelKey()))) {
            pixels = PixelArray.readNpy(in);
        }
        LoadedModel m = model.get();
        float[] p = m.predict(pixels.frame(pixels.frames() / 2)).get(60, TimeUnit.SECONDS);
        InferenceResult result = new InferenceResult(InferenceResult.SCHEMA_VERSION, m.name(), m.version(), instance.instanceId(),
                instance.studyId(), m.labelled(p), m.bestLabel(p));
        AckedPublisher.publish(results, instance.instanceId(), result);
        LOG.infof("instance %s -> %s v%d: %s", instance.instanceId(), m.name(), m.version(), result.finding());
    }
}
