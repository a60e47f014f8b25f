package io.medssl.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import io.quarkus.runtime.configuration.MemorySize;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

@ConfigMapping(prefix = "medssl")
public interface IngestConfig {

    Storage storage();

    Dicom dicom();

    Pseudonym pseudonym();

    Results results();

    Labels labels();

    Deid deid();

    Processing processing();

    Query query();

    /** Dataset that instances belong to when no AE mapping says otherwise. */
    @WithDefault("default")
    String dataset();

    /**
     * VOI windows ("center,width" in modality units) for objects that carry none, by modality:
     * {@code medssl.voi-defaults.CT=40,400}. Modalities not listed use the frame's value range.
     */
    Map<String, String> voiDefaults();

    interface Storage {
        /** Root of the shared blob store (pixels, shards, models); ingest keeps PHI under ingest/ only. */
        Path root();
    }

    interface Dicom {
        @WithDefault("true")
        boolean enabled();

        /** Our AE title; a caller naming another called AE title (not in {@link #calledAeDatasets()}) is rejected. */
        @WithDefault("MEDSSL")
        String aeTitle();

        @WithDefault("11112")
        int port();

        /** Address to listen on; 0.0.0.0 is every interface. */
        @WithDefault("0.0.0.0")
        String host();

        /**
         * Calling AE titles that may associate (comma-separated). Absent: anyone. Any other
         * caller gets A-ASSOCIATE-RJ, rejected-permanent, "calling AE title not recognized".
         */
        Optional<Set<String>> allowedCallingAeTitles();

        /**
         * Associations served at once. One more is answered A-ASSOCIATE-RJ rejected-transient
         * (local limit exceeded) at once, so the sender retries later; nothing waits in a queue.
         */
        @WithDefault("16")
        int maxAssociations();

        /** How long an association may stay silent before the node aborts it (and frees its slot). */
        @WithDefault("30s")
        Duration idleTimeout();

        /**
         * Size of the accept journal's segments: received objects are fsync'ed into them before
         * Success is sent. Segments are prepared (zeros) ahead of use and recycled once settled;
         * besides the one in use and full ones still being processed, up to four spares are kept
         * (disk: up to 1 GiB at the default, plus the backlog). 256 MiB holds a typical
         * CT series (500 slices of 512x512), so a burst that size never waits for preparation.
         */
        @WithDefault("256M")
        MemorySize journalSegmentSize();

        /**
         * Dataset by calling AE title (Kaapana style), e.g.
         * {@code medssl.dicom.datasets."CT_ROOM_1"=chest-ct}. Unmapped callers go to {@code medssl.dataset}.
         */
        Map<String, String> datasets();

        /**
         * Further called AE titles the node answers to, each naming a dataset, e.g.
         * {@code medssl.dicom.called-ae-datasets."MEDSSL_NEURO"=neuro}. Takes precedence over
         * {@link #datasets()}: the sender chose that destination on purpose.
         */
        Map<String, String> calledAeDatasets();
    }

    /** Where model results go back as DICOM SR (re-identified, into the source study). */
    interface Results {
        @WithDefault("false")
        boolean enabled();

        @WithDefault("PACS")
        String aeTitle();

        @WithDefault("127.0.0.1")
        String host();

        @WithDefault("104")
        int port();
    }

    /** Searches of the index (QIDO-RS, {@code GET /api/v1/instances}). */
    interface Query {
        /**
         * Most results one request is answered (a larger {@code limit}, or none, gets this many and a
         * Warning header; the client pages on with {@code offset}).
         */
        @WithDefault("10000")
        int maxResults();
    }

    /** Labels sent for ingested studies ({@code POST /api/v1/datasets/{dataset}/labels}). */
    interface Labels {
        /** Most rows one request may carry; a larger file is refused with 413 (split it). */
        @WithDefault("10000")
        int maxRows();
    }

    /**
     * Options of the PS3.15 Basic Application Level Confidentiality Profile applied to the
     * de-identified copy ({@code deidentified/<instance>.dcm}) that downstream services may read.
     */
    interface Deid {
        /** Dates moved back by a keyed per-patient number of days (else removed). */
        @WithDefault("true")
        boolean retainModifiedDates();

        /** Sex, age, size, weight kept. */
        @WithDefault("false")
        boolean retainPatientCharacteristics();

        /** Station name, device serial numbers kept. */
        @WithDefault("false")
        boolean retainDeviceIdentity();

        /** Institution name and address kept. */
        @WithDefault("false")
        boolean retainInstitutionIdentity();

        /** Study/series descriptions and protocol name kept (free text that can name people). */
        @WithDefault("false")
        boolean retainDescriptors();
    }

    /**
     * Work after an object is accepted (decode, de-identified copy, index, announce), done in the
     * background so the DICOM node answers as soon as the original is durable.
     */
    interface Processing {
        /**
         * Objects processed at once; 0: three per core. Preparing an object also waits on the
         * device (archived originals and de-identified copies are written with direct I/O), so
         * more threads than cores keep the cores busy: on 2 cores, draining a backlog left the
         * machine ~20-25 % idle with 4 threads and ~10 % with 6.
         */
        @WithDefault("0")
        int workers();

        /**
         * While a sender's association is open, processing yields to receiving (on a small machine
         * both compete for the same cores) until this many accepted objects wait; beyond it,
         * processing runs alongside so the backlog stays bounded under a sender that never stops.
         * 0: never yield.
         */
        @WithDefault("2000")
        int yieldWhileReceivingUpTo();

        /**
         * Journaled objects (the DICOM node's) processed as one batch: prepared in parallel, then
         * recorded in one transaction, made durable in the index with one sync before their
         * journal entries are settled. Larger batches share more of the commit and sync cost.
         */
        @WithDefault("64")
        int batchSize();
    }

    interface Pseudonym {
        /** Key of the HMAC that turns identifiers into pseudonyms. Change it per site and keep it secret. */
        String secret();
    }
}
