package io.medssl.ingest.service;

import io.medssl.storage.BlobStore;

/**
 * Where ingest keeps each instance's files in storage, by instance pseudonym. Each kind is spread
 * over 10,000 folders by the pseudonym's last four digits ({@code pixels/78/56/2.25.…12345678.npy}):
 * one folder per kind holding every instance of a hospital's archive would make listing, backup
 * and repair tools crawl, and an ext4 folder without {@code large_dir} stops taking new names
 * (ENOSPC with free space left) at around ten million. Pseudonyms are keyed hashes, so their last
 * digits spread evenly. The pixel and de-identified keys travel in events and index rows, so
 * only ingest needs to know this layout; originals stored by earlier versions under the flat
 * {@code ingest/originals/<instance>.dcm} are still found ({@link #legacyOriginal}).
 */
public final class InstanceKeys {
    private InstanceKeys() {
    }

    /** The object as received (PHI: ingest's own area). */
    public static String original(String instanceId) {
        return "ingest/originals/" + shard(instanceId) + instanceId + ".dcm";
    }

    /** Where earlier versions kept the original: one flat folder. */
    public static String legacyOriginal(String instanceId) {
        return "ingest/originals/" + instanceId + ".dcm";
    }

    /** The key the instance's original is stored under: the sharded one, else an earlier version's flat one if only that exists. */
    public static String storedOriginal(BlobStore store, String instanceId) {
        String key = original(instanceId);
        if (!store.exists(key) && store.exists(legacyOriginal(instanceId))) {
            return legacyOriginal(instanceId);
        }
        return key;
    }

    /** The normalised pixel array. */
    public static String pixels(String instanceId) {
        return "pixels/" + shard(instanceId) + instanceId + ".npy";
    }

    /** The PS3.15 de-identified copy. */
    public static String deidentified(String instanceId) {
        return "deidentified/" + shard(instanceId) + instanceId + ".dcm";
    }

    /** An object with burned-in annotation, kept for a person to look at (PHI). */
    public static String quarantined(String instanceId) {
        return "ingest/quarantine/" + shard(instanceId) + instanceId + ".dcm";
    }

    /** {@code 78/56/} for a pseudonym ending in 5678; names too short for that are not sharded. */
    static String shard(String instanceId) {
        int n = instanceId.length();
        if (n < 4) {
            return "";
        }
        return instanceId.substring(n - 2) + "/" + instanceId.substring(n - 4, n - 2) + "/";
    }
}
