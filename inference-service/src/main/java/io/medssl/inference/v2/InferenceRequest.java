package io.medssl.inference.v2;

import java.util.List;

/** Open Inference Protocol (KServe v2) inference request: named tensors. */
public record InferenceRequest(String id, List<Tensor> inputs, List<RequestedOutput> outputs) {

    /** A tensor: shape, datatype and its data in row-major order. */
    public record Tensor(String name, List<Long> shape, String datatype, List<Number> data) {
    }

    public record RequestedOutput(String name) {
    }
}
