package io.medssl.ingest.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PagingTest {

    @Test
    void aLimitWithinTheBoundIsTakenAsAsked() {
        Paging paging = Paging.of("5", "10", 100);
        assertThat(paging).isEqualTo(new Paging(10, 5, false));
        assertThat(paging.fetch()).isEqualTo(5);
        assertThat(paging.more(List.of(1, 2, 3, 4, 5))).isFalse();
    }

    @Test
    void noLimitOrOneAboveTheBoundGetsTheBoundAndOneRowMoreToTellWhetherMoreExist() {
        for (Paging paging : List.of(Paging.of(null, null, 3), Paging.of("99999999999", null, 3))) {
            assertThat(paging).isEqualTo(new Paging(0, 3, true));
            assertThat(paging.fetch()).isEqualTo(4);
            assertThat(paging.page(List.of(1, 2, 3, 4))).containsExactly(1, 2, 3);
            assertThat(paging.more(List.of(1, 2, 3, 4))).isTrue();
            assertThat(paging.more(List.of(1, 2, 3))).isFalse();
        }
    }

    @Test
    void negativeOrNonNumericValuesAreRefused() {
        for (String[] bad : new String[][] {{"-1", null}, {null, "-2"}, {"ten", null}, {null, "1.5"}}) {
            assertThatThrownBy(() -> Paging.of(bad[0], bad[1], 10)).isInstanceOf(Paging.BadPagingException.class);
        }
    }
}
