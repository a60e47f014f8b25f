package io.medssl.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

@ConfigMapping(prefix = "medssl")
public interface IngestConfig {

    Storage storage();

    Dicom dicom();

    Pseudonym pseudonym();

    Results results();

    Labels labels();

    /** Dataset that instances belong to when no AE mapping says otherwise. */
    @WithDefault("default")
    String dataset();

    interface Storage {
        /** Root of the shared blob store (pixels, shards, models); ingest keeps PHI under ingest/ only. */
        Path root();
    }

    interface Dicom {
        @WithDefault("true")
        boolean enabled();

        @WithDefault("MEDSSL")
        String aeTitle();

        @WithDefault("11112")
        int port();
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

    /** Labels sent for ingested studies ({@code POST /api/v1/datasets/{dataset}/labels}). */
    interface Labels {
        /** Most rows one request may carry; a larger file is refused with 413 (split it). */
        @WithDefault("10000")
        int maxRows();
    }

    interface Pseudonym {
        /** Key of the HMAC that turns identifiers into pseudonyms. Change it per site and keep it secret. */
        String secret();
    }
}
