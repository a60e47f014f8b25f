package io.medssl.inference.rest;

import io.medssl.contracts.Problem;
import io.medssl.inference.predict.ProblemException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.concurrent.CompletionException;
import org.jboss.resteasy.reactive.server.UnwrapException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every refused request gets an RFC 7807 body. It also carries {@code error}, the member the Open
 * Inference Protocol's clients read, so one body serves both kinds of client.
 */
@Provider
// The tensor endpoint answers asynchronously: its refusals arrive wrapped in CompletionException.
@UnwrapException(CompletionException.class)
public class ProblemExceptionMapper implements ExceptionMapper<ProblemException> {
    @Override
    public Response toResponse(ProblemException e) {
        Problem problem = Problem.of(e.status(), e.title(), e.getMessage());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.type());
        body.put("title", problem.title());
        body.put("status", problem.status());
        body.put("detail", problem.detail());
        body.put("error", e.title() + ": " + e.getMessage());
        Response.ResponseBuilder response = Response.status(e.status()).type(Problem.MEDIA_TYPE).entity(body);
        if (e.retryAfterSeconds() != null) {
            response.header("Retry-After", e.retryAfterSeconds());
        }
        return response.build();
    }
}
