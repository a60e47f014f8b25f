package io.medssl.ingest.rest;

import io.medssl.contracts.EventJson;
import io.medssl.contracts.Problem;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses an upload whose announced size exceeds {@code quarkus.http.limits.max-body-size} with
 * 413 and an RFC 7807 body, before any of it is read (Quarkus' own refusal has no body, so a
 * STOW-RS client would not learn the limit). Bodies without Content-Length (chunked) are still
 * cut off by Quarkus at the limit.
 */
@ApplicationScoped
public class UploadLimit {
    private final long maxBytes;

    public UploadLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize max) {
        this.maxBytes = max.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            long announced;
            try {
                announced = length == null ? -1 : Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                announced = -1;
            }
            if (announced <= maxBytes) {
                ctx.next();
                return;
            }
            String body = EventJson.write(Problem.of(413, "Request too large", "the request announces " + announced
                    + " bytes; this service accepts at most " + maxBytes + " (quarkus.http.limits.max-body-size /"
                    + " MEDSSL_MAX_UPLOAD): split the upload"));
            ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .putHeader(HttpHeaders.CONNECTION, "close").end(body)
                    // The announced body will not be read: drop the connection rather than wait for it.
                    .onComplete(done -> ctx.request().connection().close());
        });
    }
}
