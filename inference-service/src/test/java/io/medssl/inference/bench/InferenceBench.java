package io.medssl.inference.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.medssl.imaging.GrayImage;
import io.medssl.models.ImageClassifier;
import io.medssl.models.ModelManifest;
import io.medssl.models.ModelPackage;
import io.medssl.models.NetworkSpec;
import io.medssl.models.Networks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * bench/infer's load client, a process of its own next to inference-service.
 * {@code package <storageRoot>} writes a model package (the trainer's default network, width 16,
 * 64×64 input; random weights cost the same as trained ones). {@code run <storageRoot> <url>
 * <seconds>} measures the raw predictor in this process, then HTTP against the service, and prints
 * one line per measurement: {@code name p50_ms p99_ms per_second}.
 */
public final class InferenceBench {
    static final String NAME = "bench-model";
    static final int S = 64;

    private InferenceBench() {
    }

    public static void main(String[] args) throws Exception {
        Path storage = Path.of(args[1]);
        Path dir = storage.resolve("models").resolve(NAME).resolve("1");
        if (args[0].equals("package")) {
            NetworkSpec spec = new NetworkSpec(S, 16, 4);
            try (Model model = Model.newInstance(NAME, Device.cpu())) {
                model.setBlock(Networks.classifier(spec));
                model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, S, S));
                ModelPackage.write(model, new ModelManifest(ModelManifest.FORMAT_VERSION, NAME, 1, "bench", spec,
                        List.of("a", "b", "c", "d"), null, null, Map.of(), Map.of(), Map.of(), "2026-11-27T00:00:00Z"), dir);
            }
            return;
        }
        if (args[0].equals("body")) {
            // The single-image request as files, for wrk: <prefix>.json (JSON tensor), <prefix>.bin
            // (binary tensor data extension) and <prefix>.bin.header (the length of its JSON part).
            float[] frame = frame();
            java.nio.file.Files.write(Path.of(args[2] + ".json"), new ObjectMapper().writeValueAsBytes(request(frame, 1)));
            byte[] header = ("{\"inputs\":[{\"name\":\"input\",\"shape\":[1,1," + S + "," + S + "],\"datatype\":\"FP32\","
                    + "\"parameters\":{\"binary_data_size\":" + frame.length * 4 + "}}]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            java.nio.ByteBuffer body = java.nio.ByteBuffer.allocate(header.length + frame.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            body.put(header).asFloatBuffer().put(frame);
            java.nio.file.Files.write(Path.of(args[2] + ".bin"), body.array());
            java.nio.file.Files.writeString(Path.of(args[2] + ".bin.header"), String.valueOf(header.length));
            return;
        }
        String url = args[2];
        double seconds = Double.parseDouble(args[3]);
        float[] frame = frame();

        try (ImageClassifier raw = ImageClassifier.load(dir, Device.cpu())) {
            GrayImage image = new GrayImage(S, S, frame);
            report("raw-predictor-forward", time(() -> raw.predict(image), seconds, 1));
        }
        if (args.length > 4 && args[4].equals("raw-only")) {
            return;
        }

        ObjectMapper json = new ObjectMapper();
        // HTTP/1.1 with keep-alive, as most inference clients; the JDK default would try an h2c upgrade.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        byte[] single = json.writeValueAsBytes(request(frame, 1));
        float[] sixteen = new float[16 * S * S];
        for (int i = 0; i < 16; i++) {
            System.arraycopy(frame, 0, sixteen, i * S * S, S * S);
        }
        byte[] batch = json.writeValueAsBytes(request(sixteen, 16));
        URI infer = URI.create(url + "/v2/models/" + NAME + "/infer");
        ThrowingRunnable singleCall = () -> post(http, infer, single);
        report("http-single-c1", time(singleCall, seconds, 1));
        if (args.length > 4 && args[4].equals("single-only")) {
            return;
        }
        report("http-single-c4", time(singleCall, seconds, 4));
        report("http-single-c16", time(singleCall, seconds, 16));
        Stats batched = time(() -> post(http, infer, batch), seconds, 2);
        report("http-batch16-c2", batched);
        System.out.printf("http-batch16-c2-images - - %.1f%n", batched.perSecond * 16);
    }

    /** One 64x64 image of seeded noise: the same in every mode. */
    private static float[] frame() {
        Random random = new Random(1);
        float[] frame = new float[S * S];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = random.nextFloat();
        }
        return frame;
    }

    private static Map<String, Object> request(float[] data, int n) {
        List<Float> values = new ArrayList<>(data.length);
        for (float v : data) {
            values.add(v);
        }
        return Map.of("inputs", List.of(Map.of("name", "input", "shape", List.of(n, 1, S, S), "datatype", "FP32", "data", values)));
    }

    private static void post(HttpClient http, URI uri, byte[] body) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + r.statusCode() + ": " + new String(r.body()));
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    record Stats(double p50, double p99, double perSecond) {
    }

    /** Warms up for a third of the time, then runs {@code concurrency} loops for {@code seconds}. */
    private static Stats time(ThrowingRunnable call, double seconds, int concurrency) throws Exception {
        loop(call, seconds / 3, concurrency);
        return loop(call, seconds, concurrency);
    }

    private static Stats loop(ThrowingRunnable call, double seconds, int concurrency) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        List<Future<List<Long>>> workers = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            workers.add(pool.submit(() -> {
                List<Long> latencies = new ArrayList<>();
                while (System.nanoTime() < deadline) {
                    long t0 = System.nanoTime();
                    call.run();
                    latencies.add(System.nanoTime() - t0);
                }
                return latencies;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> w : workers) {
            all.addAll(w.get());
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Stats(sorted[sorted.length / 2] / 1e6, sorted[(int) Math.min(sorted.length - 1, sorted.length * 0.99)] / 1e6,
                sorted.length / elapsed);
    }

    private static void report(String name, Stats s) {
        System.out.printf("%s %.2f %.2f %.1f%n", name, s.p50, s.p99, s.perSecond);
    }
}
