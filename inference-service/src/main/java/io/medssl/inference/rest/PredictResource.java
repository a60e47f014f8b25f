package io.medssl.inference.rest;

import io.medssl.inference.predict.Prediction;
import io.medssl.inference.predict.PredictionService;
import io.medssl.inference.predict.ProblemException;
import io.medssl.inference.registry.LoadedModel;
import io.medssl.inference.registry.ModelCatalog;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class PredictResource {
    static final String DICOM = "application/dicom";

    private final ModelCatalog catalog;
    private final PredictionService predictions;

    public PredictResource(ModelCatalog catalog, PredictionService predictions) {
        this.catalog = catalog;
        this.predictions = predictions;
    }

    /** The models being served (newest version of each name). */
    @GET
    @Path("/models")
    public List<Map<String, Object>> models() {
        return catalog.all().stream()
                .sorted(Comparator.comparing(LoadedModel::name))
                .map(m -> Map.<String, Object>of("name", m.name(), "version", m.version(), "task", m.manifest().task(),
                        "labels", m.manifest().labels(), "metrics", m.manifest().metrics(),
                        "inputShape", List.of(1, m.manifest().network().inputSize(), m.manifest().network().inputSize())))
                .toList();
    }

    /** Classifies one DICOM instance (the body, {@code application/dicom}) with the named model. */
    @POST
    @Path("/models/{name}/predict")
    @Consumes({DICOM, MediaType.APPLICATION_OCTET_STREAM})
    public Prediction predict(@PathParam("name") String name, InputStream body) {
        LoadedModel model = catalog.get(name)
                .orElseThrow(() -> new ProblemException(404, "Model not found", "no model named '" + name + "' is loaded"));
        return predictions.predict(model, body);
    }

    /** Classifies one DICOM instance with the most recently published model. */
    @POST
    @Path("/predict")
    @Consumes({DICOM, MediaType.APPLICATION_OCTET_STREAM})
    public Prediction predictWithNewest(InputStream body) {
        LoadedModel model = catalog.newest()
                .orElseThrow(() -> new ProblemException(503, "No model loaded", "no model has been published yet"));
        return predictions.predict(model, body);
    }
}
