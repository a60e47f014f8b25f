package io.medssl.inference.v2;

import java.util.List;
import java.util.Map;

/**
 * Open Inference Protocol (KServe v2) inference request: named tensors. {@code parameters} carry
 * the protocol's extensions (here: the binary tensor data extension's {@code binary_data_size},
 * {@code binary_data} and {@code binary_data_output}).
 */
public record InferenceRequest(String id, List<Tensor> inputs, List<RequestedOutput> outputs, Map<String, Object> parameters) {

    /**
     * A tensor: shape, datatype and its data, flattened in row-major order. Read straight into a
     * primitive array: boxing thousands of numbers per image was most of the HTTP overhead. With
     * the binary extension {@code data} is absent from the JSON and filled from the bytes after it.
     */
    public record Tensor(String name, List<Long> shape, String datatype, float[] data, Map<String, Object> parameters) {
        Tensor withData(float[] values) {
            return new Tensor(name, shape, datatype, values, parameters);
        }
    }

    public record RequestedOutput(String name, Map<String, Object> parameters) {
    }
}
