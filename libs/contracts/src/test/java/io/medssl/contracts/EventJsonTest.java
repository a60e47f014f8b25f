package io.medssl.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    @Test
    void instanceIngestedRoundTripsWithIsoInstant() {
        var event = new InstanceIngested(1, "2.25.1", "2.25.2", "2.25.3", "p-1", "default", "CT", "CHEST",
                "1.2.840.10008.5.1.4.1.1.2", 512, 512, 1, "pixels/2.25.1.npy", true, null,
                Instant.parse("2026-11-27T06:00:00Z"), "deidentified/2.25.1.dcm");
        String json = EventJson.write(event);
        assertThat(json).contains("\"ingestedAt\":\"2026-11-27T06:00:00Z\"");
        assertThat(EventJson.read(json, InstanceIngested.class)).isEqualTo(event);
    }

    @Test
    void newerProducersExtraFieldsAreIgnored() {
        var event = new ModelPublished(1, "m", 3, "models/m/3", "ab", List.of("a", "b"), Map.of("loss", 0.5), Map.of());
        String json = EventJson.write(event).replaceFirst("\\{", "{\"addedLater\":42,");
        assertThat(EventJson.read(json, ModelPublished.class)).isEqualTo(event);
    }

    @Test
    void garbageIsAClearError() {
        assertThatThrownBy(() -> EventJson.read("{not json", PretextShardReady.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PretextShardReady");
    }
}
