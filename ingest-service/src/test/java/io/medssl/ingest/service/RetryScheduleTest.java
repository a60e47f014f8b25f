package io.medssl.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {
    private final RetrySchedule schedule = new RetrySchedule(Duration.ofSeconds(10), Duration.ofHours(1));
    private final Instant t0 = Instant.parse("2026-11-28T00:00:00Z");

    @Test
    void theWaitDoublesAfterEachFailureUpToTheLongest() {
        assertThat(schedule.delayAfter(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(schedule.delayAfter(2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(schedule.delayAfter(9)).isEqualTo(Duration.ofSeconds(2_560));
        assertThat(schedule.delayAfter(10)).isEqualTo(Duration.ofHours(1));
        assertThat(schedule.delayAfter(10_000)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aFailedInstanceIsDueOnlyOnceItsWaitIsOver() {
        assertThat(schedule.due("a", t0)).as("never failed").isTrue();
        schedule.failed("a", t0);
        RetrySchedule.Attempts second = schedule.failed("a", t0.plusSeconds(10));
        assertThat(second.failures()).isEqualTo(2);
        assertThat(second.notBefore()).isEqualTo(t0.plusSeconds(30));
        assertThat(schedule.due("a", t0.plusSeconds(29))).isFalse();
        assertThat(schedule.due("a", t0.plusSeconds(30))).isTrue();
        assertThat(schedule.due("b", t0)).as("others are not held up").isTrue();
    }

    @Test
    void successOrLeavingTheQueueForgetsTheFailures() {
        schedule.failed("a", t0);
        schedule.failed("b", t0);
        schedule.failed("c", t0);
        schedule.succeeded("a");
        schedule.retainOnly(Set.of("c"));
        assertThat(schedule.size()).isEqualTo(1);
        assertThat(schedule.due("a", t0)).isTrue();
        assertThat(schedule.due("b", t0)).isTrue();
        assertThat(schedule.due("c", t0)).isFalse();
    }
}
