package io.medssl.ingest.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When an accepted instance whose processing failed may be tried again: after the first failure
 * {@code first}, then twice as long after each further one, up to {@code longest}. An object that
 * fails every time (e.g. a value the database cannot hold, sent by a modality that always sends
 * it) is then retried less and less often instead of costing a decode every pass for ever, while
 * an outage (database, disk) still ends in a retry within {@code longest}. Kept in memory: a
 * restart tries everything again at once, which is what someone who just fixed the cause wants.
 */
final class RetrySchedule {
    /** How often an instance failed, and not before when it is tried again. */
    record Attempts(int failures, Instant notBefore) {
    }

    private final Duration first;
    private final Duration longest;
    private final Map<String, Attempts> failing = new ConcurrentHashMap<>();

    RetrySchedule(Duration first, Duration longest) {
        this.first = first;
        this.longest = longest;
    }

    /** Notes a failure at {@code now}; returns what it now stands at. */
    Attempts failed(String instanceId, Instant now) {
        return failing.compute(instanceId, (id, before) -> {
            int failures = before == null ? 1 : before.failures() + 1;
            return new Attempts(failures, now.plus(delayAfter(failures)));
        });
    }

    /** The wait after the {@code failures}-th failure in a row. */
    Duration delayAfter(int failures) {
        // Doubling from `first`; capped before the shift can overflow.
        int doublings = Math.min(failures - 1, 30);
        Duration delay = first.multipliedBy(1L << doublings);
        return delay.compareTo(longest) > 0 ? longest : delay;
    }

    void succeeded(String instanceId) {
        failing.remove(instanceId);
    }

    /** Whether the instance may be tried at {@code now} (always, unless it failed and its wait is not over). */
    boolean due(String instanceId, Instant now) {
        Attempts attempts = failing.get(instanceId);
        return attempts == null || !now.isBefore(attempts.notBefore());
    }

    Optional<Attempts> attempts(String instanceId) {
        return Optional.ofNullable(failing.get(instanceId));
    }

    /** Forgets instances no longer waiting ({@code waiting}: all that still do). */
    void retainOnly(Set<String> waiting) {
        failing.keySet().retainAll(waiting);
    }

    /** Instances waiting for a retry after a failure. */
    int size() {
        return failing.size();
    }
}
