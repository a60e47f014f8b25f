package io.medssl.inference.predict;

import io.medssl.dicom.DicomObject;
import io.medssl.dicom.DicomReader;
import io.medssl.dicom.InvalidDicomException;
import io.medssl.dicom.PixelDecoder;
import io.medssl.dicom.UndecodableImageException;
import io.medssl.imaging.GrayImage;
import io.medssl.imaging.PixelArray;
import io.medssl.inference.batching.QueueFullException;
import io.medssl.inference.registry.LoadedModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * DICOM or tensors in, class probabilities out, through the same decoder (libs/dicom) and
 * preprocessing (libs/imaging via libs/models) that produced the training data, and through the
 * model version's batching queue. Every request is timed per model, version, endpoint and outcome
 * ({@code medssl_inference_requests_seconds} in /q/metrics).
 */
@ApplicationScoped
public class PredictionService {
    private static final long TIMEOUT_SECONDS = 60;
    private final MeterRegistry metrics;

    public PredictionService(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    public Prediction predictDicom(LoadedModel model, InputStream dicom, String endpoint) {
        return predictDicom(model, dicom, endpoint, false);
    }

    /** As above; with {@code saliency} the answer carries an occlusion saliency PNG. */
    public Prediction predictDicom(LoadedModel model, InputStream dicom, String endpoint, boolean saliency) {
        long start = System.nanoTime();
        String outcome = "error";
        Path tmp = null;
        try {
            tmp = Files.createTempFile("medssl-predict-", ".dcm");
            Files.copy(dicom, tmp, StandardCopyOption.REPLACE_EXISTING);
            DicomObject object = DicomReader.read(tmp);
            PixelArray pixels = PixelDecoder.decode(object);
            int frame = pixels.frames() / 2;
            GrayImage image = pixels.frame(frame);
            float[] p = await(submit(model, image));
            Prediction prediction = toPrediction(model, p, frame, pixels);
            if (saliency) {
                prediction = prediction.withSaliency(OcclusionSaliency.png(model, image, p));
            }
            outcome = "ok";
            return prediction;
        } catch (InvalidDicomException e) {
            outcome = "invalid";
            throw new ProblemException(415, "Not a DICOM object", e.getMessage());
        } catch (UndecodableImageException e) {
            outcome = "undecodable";
            throw new ProblemException(422, "Image cannot be decoded", e.getMessage());
        } catch (IOException e) {
            throw new ProblemException(400, "Request body could not be read", e.getMessage());
        } catch (ProblemException e) {
            outcome = e.status() == 503 ? "overloaded" : outcome;
            throw e;
        } finally {
            record(model, endpoint, outcome, start);
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // temp file: the OS cleans it eventually
                }
            }
        }
    }

    /**
     * Probabilities for each of {@code n} preprocessed frames ({@code n x rows x cols} in one flat
     * array, values in [0, 1]), without holding a thread while the model works: the future
     * completes on the batcher's thread, or fails with a {@link ProblemException}.
     */
    public CompletableFuture<List<float[]>> predictTensorAsync(LoadedModel model, float[] data, int n, int rows, int cols,
                                                              String endpoint) {
        long start = System.nanoTime();
        List<CompletableFuture<float[]>> futures = new ArrayList<>(n);
        try {
            int size = rows * cols;
            for (int i = 0; i < n; i++) {
                float[] frame = new float[size];
                System.arraycopy(data, i * size, frame, 0, size);
                futures.add(submit(model, new GrayImage(rows, cols, frame)));
            }
        } catch (ProblemException e) {
            record(model, endpoint, e.status() == 503 ? "overloaded" : "error", start);
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<List<float[]>> all = CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .handle((ignored, failure) -> {
                    if (failure != null) {
                        throw problem(failure instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                                ? c.getCause() : failure);
                    }
                    return futures.stream().map(CompletableFuture::join).toList();
                });
        return all.whenComplete((out, failure) -> {
            // failure is the CompletionException around the ProblemException thrown above.
            String outcome = failure == null ? "ok"
                    : problem(failure.getCause() != null ? failure.getCause() : failure).status() == 503 ? "overloaded" : "error";
            record(model, endpoint, outcome, start);
        });
    }

    /** The answer for a model failure, whether awaited or seen asynchronously. */
    private static ProblemException problem(Throwable failure) {
        if (failure instanceof ProblemException p) {
            return p;
        }
        if (failure instanceof QueueFullException q) {
            return overloaded(q);
        }
        if (failure instanceof TimeoutException) {
            return new ProblemException(504, "Model timed out", "no answer within " + TIMEOUT_SECONDS + " s");
        }
        return new ProblemException(500, "Model failed", String.valueOf(failure.getMessage()));
    }

    private static CompletableFuture<float[]> submit(LoadedModel model, GrayImage frame) {
        try {
            return model.predict(frame);
        } catch (QueueFullException e) {
            throw overloaded(e);
        }
    }

    private static float[] await(CompletableFuture<float[]> result) {
        try {
            return result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw problem(e.getCause());
        } catch (TimeoutException e) {
            throw problem(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(503, "Interrupted", "the service is shutting down", 1);
        }
    }

    private static ProblemException overloaded(QueueFullException e) {
        return new ProblemException(503, "Overloaded", e.getMessage(), 1);
    }

    static Prediction toPrediction(LoadedModel model, float[] p, int frame, PixelArray pixels) {
        return new Prediction(model.name(), model.version(), model.manifest().task(), model.labelled(p), model.bestLabel(p),
                frame, pixels.frames(), pixels.rows(), pixels.cols(), null);
    }

    private void record(LoadedModel model, String endpoint, String outcome, long startNanos) {
        Timer.builder("medssl.inference.requests")
                .description("Inference requests by model, version, endpoint and outcome")
                .tags("model", model.name(), "version", String.valueOf(model.version()), "endpoint", endpoint, "outcome", outcome)
                .publishPercentileHistogram()
                .register(metrics)
                .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }
}
