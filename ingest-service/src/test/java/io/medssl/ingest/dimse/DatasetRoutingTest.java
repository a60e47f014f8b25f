package io.medssl.ingest.dimse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DatasetRoutingTest {
    final DatasetRouting routing = new DatasetRouting(Map.of("MEDSSL_NEURO", "neuro"), Map.of("CT_ROOM_1", "chest"), "default");

    @Test
    void theCalledAeWinsThenTheCallingAeThenTheDefault() {
        assertThat(routing.datasetFor("CT_ROOM_1", "MEDSSL_NEURO")).isEqualTo("neuro");
        assertThat(routing.datasetFor("CT_ROOM_1", "MEDSSL")).isEqualTo("chest");
        assertThat(routing.datasetFor("MR_ROOM_2", "MEDSSL")).isEqualTo("default");
    }

    @Test
    void aMappingWithoutADatasetNameIsAConfigurationError() {
        assertThatThrownBy(() -> new DatasetRouting(Map.of(), Map.of("CT_ROOM_1", " "), "default"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CT_ROOM_1");
    }

    @Test
    void aDatasetNameThatCannotNameAFolderOrFitTheIndexIsAConfigurationError() {
        assertThatThrownBy(() -> new DatasetRouting(Map.of("MEDSSL_NEURO", "../neuro"), Map.of(), "default"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MEDSSL_NEURO").hasMessageContaining("../neuro");
        assertThatThrownBy(() -> new DatasetRouting(Map.of(), Map.of(), "chest ct"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("default dataset");
        assertThatThrownBy(() -> new DatasetRouting(Map.of(), Map.of(), "d".repeat(129)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new DatasetRouting(Map.of(), Map.of("CT_ROOM_1", "Chest_CT-2026.v1"), "d".repeat(128))
                .datasetFor("CT_ROOM_1", "MEDSSL")).isEqualTo("Chest_CT-2026.v1");
    }
}
