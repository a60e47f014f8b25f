package io.medssl.inference.v2;

import java.util.List;

/** Open Inference Protocol (KServe v2) inference response. */
public record InferenceResponse(String model_name, String model_version, String id, List<OutputTensor> outputs) {

    public record OutputTensor(String name, List<Long> shape, String datatype, Object data) {
    }
}
