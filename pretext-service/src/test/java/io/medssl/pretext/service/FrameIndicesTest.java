package io.medssl.pretext.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrameIndicesTest {
    @Test
    void framesAreSpreadEvenly() {
        assertThat(ShardService.frameIndices(1, 4)).containsExactly(0);
        assertThat(ShardService.frameIndices(13, 4)).containsExactly(1, 4, 8, 11);
        assertThat(ShardService.frameIndices(10, 1)).containsExactly(5);
        assertThat(ShardService.frameIndices(2, 4)).containsExactly(0, 1);
    }
}
