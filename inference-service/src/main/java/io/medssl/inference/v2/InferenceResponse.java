package io.medssl.inference.v2;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** Open Inference Protocol (KServe v2) inference response. */
public record InferenceResponse(String model_name, String model_version, String id, List<OutputTensor> outputs) {

    /** {@code data} is absent (and {@code parameters.binary_data_size} set) when the tensor follows as binary data. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OutputTensor(String name, List<Long> shape, String datatype, Object data, Map<String, Object> parameters) {
    }
}
