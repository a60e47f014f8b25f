package io.medssl.inference.v2;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.medssl.inference.predict.ProblemException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The Open Inference Protocol's binary tensor data extension (KServe v2, as Triton implements it):
 * the body is a JSON request of {@value #HEADER_LENGTH} bytes followed by each tensor whose
 * parameters name a {@code binary_data_size}, raw little-endian and row-major, in input order.
 * A 64x64 image is 16 KiB this way instead of ~45 KB of decimal text that must be parsed.
 */
final class BinaryTensorData {
    /** HTTP header giving the length of the JSON part of a request or response body. */
    static final String HEADER_LENGTH = "Inference-Header-Content-Length";
    private static final String SIZE = "binary_data_size";

    private BinaryTensorData() {
    }

    /**
     * The request in {@code body}: its JSON part ({@code jsonLength}, the header's value; all of
     * the body when it is absent, as the extension allows) with every binary input's data read
     * from the bytes after it.
     */
    static InferenceRequest read(byte[] body, String jsonLength, ObjectMapper json) {
        int headerLength = jsonLength == null ? body.length : byteCount(jsonLength);
        if (headerLength < 0 || headerLength > body.length) {
            throw bad(HEADER_LENGTH + " is " + headerLength + " but the body has " + body.length + " bytes");
        }
        InferenceRequest header;
        try {
            header = json.readValue(body, 0, headerLength, InferenceRequest.class);
        } catch (JsonProcessingException e) {
            throw bad("the JSON part of the request is not a valid inference request: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw bad("the JSON part of the request cannot be read: " + e.getMessage());
        }
        if (header == null || header.inputs() == null) {
            return header;
        }
        int offset = headerLength;
        List<InferenceRequest.Tensor> inputs = new ArrayList<>(header.inputs().size());
        for (InferenceRequest.Tensor tensor : header.inputs()) {
            Object size = tensor.parameters() == null ? null : tensor.parameters().get(SIZE);
            if (size == null) {
                inputs.add(tensor);
                continue;
            }
            if (!(size instanceof Number n) || n.longValue() < 0 || n.longValue() % Float.BYTES != 0) {
                throw bad(SIZE + " of input '" + tensor.name() + "' must be a multiple of 4 bytes (FP32), got " + size);
            }
            if (!"FP32".equals(tensor.datatype())) {
                throw bad("binary input '" + tensor.name() + "' must be FP32, got " + tensor.datatype());
            }
            long bytes = n.longValue();
            if (bytes > body.length - offset) {
                throw bad("input '" + tensor.name() + "' announces " + bytes + " bytes of binary data but only "
                        + (body.length - offset) + " follow");
            }
            float[] data = new float[(int) (bytes / Float.BYTES)];
            ByteBuffer.wrap(body, offset, (int) bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
            offset += (int) bytes;
            inputs.add(tensor.withData(data));
        }
        if (offset != body.length) {
            throw bad((body.length - offset) + " bytes after the last binary input");
        }
        return new InferenceRequest(header.id(), inputs, header.outputs(), header.parameters());
    }

    /**
     * Whether the client asked for {@code output} as binary data: per output
     * ({@code "binary_data": true}) or for all outputs ({@code "binary_data_output": true}).
     */
    static boolean wantsBinary(InferenceRequest request, String output) {
        if (request.outputs() != null) {
            for (InferenceRequest.RequestedOutput o : request.outputs()) {
                if (output.equals(o.name()) && o.parameters() != null && o.parameters().containsKey("binary_data")) {
                    return Boolean.TRUE.equals(o.parameters().get("binary_data"));
                }
            }
        }
        return request.parameters() != null && Boolean.TRUE.equals(request.parameters().get("binary_data_output"));
    }

    /**
     * An inference response whose one output tensor follows its JSON as binary data: the JSON
     * names the tensor's size instead of holding its values, and its length goes in the header.
     */
    static Response response(String modelName, String modelVersion, String id, String output, List<Long> shape,
                             float[] values, ObjectMapper json) {
        ByteBuffer tensor = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        tensor.asFloatBuffer().put(values);
        byte[] header;
        try {
            header = json.writeValueAsBytes(new InferenceResponse(modelName, modelVersion, id, List.of(
                    new InferenceResponse.OutputTensor(output, shape, "FP32", null, Map.of(SIZE, tensor.capacity())))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("inference response not serialisable", e);
        }
        byte[] body = Arrays.copyOf(header, header.length + tensor.capacity());
        System.arraycopy(tensor.array(), 0, body, header.length, tensor.capacity());
        return Response.ok(body, MediaType.APPLICATION_OCTET_STREAM_TYPE).header(HEADER_LENGTH, header.length).build();
    }

    private static int byteCount(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw bad(HEADER_LENGTH + " must be a byte count, got '" + value + "'");
        }
    }

    private static ProblemException bad(String detail) {
        return new ProblemException(400, "Invalid inference request", detail);
    }
}
