package io.medssl.inference.config;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Tensor requests are mostly decimal numbers (4,096 of them for one 64x64 image): Jackson's
 * FastDoubleParser/-Writer (Schubfach) read and write them several times faster than the JDK's
 * routines, which is a visible share of a single-image request's latency.
 */
@Singleton
public class FastFloatJson implements ObjectMapperCustomizer {
    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER.mappedFeature());
        mapper.enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER.mappedFeature());
    }
}
