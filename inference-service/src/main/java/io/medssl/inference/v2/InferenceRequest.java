package io.medssl.inference.v2;

import java.util.List;

/** Open Inference Protocol (KServe v2) inference request: named tensors. */
public record InferenceRequest(String id, List<Tensor> inputs, List<RequestedOutput> outputs) {

    /**
     * A tensor: shape, datatype and its data, flattened in row-major order. Read straight into a
     * primitive array: boxing thousands of numbers per image was most of the HTTP overhead.
     */
    public record Tensor(String name, List<Long> shape, String datatype, float[] data) {
    }

    public record RequestedOutput(String name) {
    }
}
