package io.medssl.ingest.service;

import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Which instances are being processed right now, so one instance is never processed by two
 * paths at once: the journal's batches (the DICOM node) and the {@code received} rows (STOW-RS,
 * objects that failed on their own, leftovers) both write the instance's original, array and
 * de-identified copy under the same keys and record its row; interleaved, the row could describe
 * one version and the files hold another. Whoever claims second waits; the one processed last
 * wins, with its files and row together.
 *
 * <p>Only the batch thread claims more than one instance at a time, so claims cannot deadlock:
 * every other holder claims one and never waits for anything while holding it.
 */
@Singleton
final class InstanceClaims {
    private final Set<String> held = new HashSet<>();

    /** Waits until nobody else holds {@code instanceId}, then holds it. */
    synchronized void claim(String instanceId) throws InterruptedException {
        while (!held.add(instanceId)) {
            wait();
        }
    }

    /** {@link #claim} for each; on interruption releases what it took. */
    void claimAll(Collection<String> instanceIds) throws InterruptedException {
        Set<String> taken = new HashSet<>();
        try {
            for (String id : instanceIds) {
                claim(id);
                taken.add(id);
            }
        } catch (InterruptedException e) {
            releaseAll(taken);
            throw e;
        }
    }

    synchronized void release(String instanceId) {
        held.remove(instanceId);
        notifyAll();
    }

    synchronized void releaseAll(Collection<String> instanceIds) {
        held.removeAll(instanceIds);
        notifyAll();
    }

    synchronized boolean isClaimed(String instanceId) {
        return held.contains(instanceId);
    }
}
