package io.medssl.inference.v2;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.medssl.inference.config.InferenceConfig;
import io.medssl.inference.predict.PredictionService;
import io.medssl.inference.predict.ProblemException;
import io.medssl.inference.registry.LoadedModel;
import io.medssl.inference.registry.ModelCatalog;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.NonBlocking;
import java.util.concurrent.CompletionStage;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Open Inference Protocol (KServe v2) REST API, so KServe, Triton-style clients and MLOps
 * tools can call MedSSL models. Inputs are preprocessed frames: FP32 in [0, 1], shape
 * [N, 1, S, S] or [N, S, S] (other sizes are centre-cropped and resized as in training), as JSON
 * ({@code application/json}) or with the binary tensor data extension ({@code application/octet-stream}
 * and an {@value BinaryTensorData#HEADER_LENGTH} header); outputs come back as binary data when
 * the request asks for it ({@code binary_data} / {@code binary_data_output}).
 */
@Path("/v2")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class V2Resource {
    static final String INPUT = "input";
    static final String OUTPUT = "probabilities";

    private final ModelCatalog catalog;
    private final PredictionService predictions;

    private final ObjectMapper json;
    private final int maxImagesPerRequest;

    public V2Resource(ModelCatalog catalog, PredictionService predictions, ObjectMapper json, InferenceConfig config) {
        this.catalog = catalog;
        this.predictions = predictions;
        this.json = json;
        this.maxImagesPerRequest = config.inference().queueCapacity();
    }

    @GET
    public Map<String, Object> server() {
        return Map.of("name", "medssl-inference", "version", "0.1.0", "extensions", List.of("binary_tensor_data"));
    }

    @GET
    @Path("/health/live")
    public Response live() {
        return Response.ok().build();
    }

    /** Ready to infer: at least one model is loaded. */
    @GET
    @Path("/health/ready")
    public Response ready() {
        return catalog.loadedCount() > 0 ? Response.ok().build() : Response.status(503).build();
    }

    @GET
    @Path("/models/{name}")
    public Map<String, Object> metadata(@PathParam("name") String name) {
        return metadata(serving(name));
    }

    @GET
    @Path("/models/{name}/versions/{version}")
    public Map<String, Object> metadata(@PathParam("name") String name, @PathParam("version") int version) {
        return metadata(version(name, version));
    }

    @GET
    @Path("/models/{name}/ready")
    public Response modelReady(@PathParam("name") String name) {
        return catalog.serving(name).isPresent() ? Response.ok().build() : Response.status(404).build();
    }

    @GET
    @Path("/models/{name}/versions/{version}/ready")
    public Response versionReady(@PathParam("name") String name, @PathParam("version") int version) {
        return catalog.version(name, version).isPresent() ? Response.ok().build() : Response.status(404).build();
    }

    @POST
    @Path("/models/{name}/infer")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
    @NonBlocking
    public CompletionStage<Response> infer(@PathParam("name") String name, InferenceRequest request) {
        return infer(serving(name), request);
    }

    @POST
    @Path("/models/{name}/versions/{version}/infer")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
    @NonBlocking
    public CompletionStage<Response> infer(@PathParam("name") String name, @PathParam("version") int version,
                                           InferenceRequest request) {
        return infer(version(name, version), request);
    }

    /** The binary tensor data extension: JSON of {@value BinaryTensorData#HEADER_LENGTH} bytes, then raw tensors. */
    @POST
    @Path("/models/{name}/infer")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
    @NonBlocking
    public CompletionStage<Response> inferBinary(@PathParam("name") String name,
                                                 @HeaderParam(BinaryTensorData.HEADER_LENGTH) String jsonLength, byte[] body) {
        return infer(serving(name), BinaryTensorData.read(body, jsonLength, json));
    }

    @POST
    @Path("/models/{name}/versions/{version}/infer")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
    @NonBlocking
    public CompletionStage<Response> inferBinary(@PathParam("name") String name, @PathParam("version") int version,
                                                 @HeaderParam(BinaryTensorData.HEADER_LENGTH) String jsonLength, byte[] body) {
        return infer(version(name, version), BinaryTensorData.read(body, jsonLength, json));
    }

    /**
     * Validates on the I/O thread (small bodies are parsed there too: no hand-off to a worker
     * thread) and answers when the batcher completes, so no thread waits on the model.
     */
    private CompletionStage<Response> infer(LoadedModel model, InferenceRequest request) {
        if (request == null || request.inputs() == null || request.inputs().size() != 1) {
            throw badRequest("exactly one input tensor named '" + INPUT + "' is expected");
        }
        InferenceRequest.Tensor input = request.inputs().get(0);
        if (!"FP32".equals(input.datatype())) {
            throw badRequest("input datatype must be FP32, got " + input.datatype());
        }
        List<Long> shape = input.shape();
        if (shape == null || !(shape.size() == 3 || (shape.size() == 4 && shape.get(1) == 1))) {
            throw badRequest("input shape must be [N, 1, H, W] or [N, H, W], got " + shape);
        }
        int n = shape.get(0).intValue();
        int rows = shape.get(shape.size() - 2).intValue();
        int cols = shape.get(shape.size() - 1).intValue();
        if (n < 1 || rows < 1 || cols < 1 || (long) n * rows * cols > 64L * 1024 * 1024) {
            throw badRequest("input shape " + shape + " is empty or too large");
        }
        if (n > maxImagesPerRequest) {
            throw badRequest(n + " images in one request; at most " + maxImagesPerRequest + " (the model's queue capacity)");
        }
        float[] data = input.data();
        if (data == null || data.length != n * rows * cols) {
            throw badRequest("input data holds " + (data == null ? 0 : data.length)
                    + " values, shape " + shape + " needs " + (n * rows * cols));
        }
        boolean binary = BinaryTensorData.wantsBinary(request, OUTPUT);
        return predictions.predictTensorAsync(model, data, n, rows, cols, "v2-infer").thenApply(outputs -> {
            int classes = model.labels().size();
            float[] flat = new float[n * classes];
            for (int i = 0; i < n; i++) {
                System.arraycopy(outputs.get(i), 0, flat, i * classes, classes);
            }
            List<Long> outputShape = List.of((long) n, (long) classes);
            String version = String.valueOf(model.version());
            if (binary) {
                return BinaryTensorData.response(model.name(), version, request.id(), OUTPUT, outputShape, flat, json);
            }
            return Response.ok(new InferenceResponse(model.name(), version, request.id(),
                    List.of(new InferenceResponse.OutputTensor(OUTPUT, outputShape, "FP32", flat, null))),
                    MediaType.APPLICATION_JSON_TYPE).build();
        });
    }

    private static Map<String, Object> metadata(LoadedModel model) {
        int s = model.manifest().network().inputSize();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", model.name());
        m.put("versions", List.of(String.valueOf(model.version())));
        m.put("platform", "djl_pytorch");
        m.put("inputs", List.of(Map.of("name", INPUT, "datatype", "FP32", "shape", List.of(-1, 1, s, s))));
        m.put("outputs", List.of(Map.of("name", OUTPUT, "datatype", "FP32", "shape", List.of(-1, model.labels().size()))));
        m.put("parameters", Map.of("labels", model.labels(), "task", model.manifest().task(),
                "device", model.manifest().framework().getOrDefault("device", "unknown")));
        return m;
    }

    private LoadedModel serving(String name) {
        return catalog.serving(name).orElseThrow(() ->
                new ProblemException(404, "Model not found", "no model named '" + name + "' is loaded"));
    }

    private LoadedModel version(String name, int version) {
        return catalog.version(name, version).orElseThrow(() ->
                new ProblemException(404, "Model version not found", name + " v" + version + " is not in the registry"));
    }

    private static ProblemException badRequest(String detail) {
        return new ProblemException(400, "Invalid inference request", detail);
    }
}
