package io.medssl.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

@ConfigMapping(prefix = "medssl")
public interface IngestConfig {

    Storage storage();

    Dicom dicom();

    Pseudonym pseudonym();

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

    interface Pseudonym {
        /** Key of the HMAC that turns identifiers into pseudonyms. Change it per site and keep it secret. */
        String secret();
    }
}
