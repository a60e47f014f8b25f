package io.medssl.ingest.rest;

import io.medssl.contracts.Problem;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** RFC 7807 bodies for what the REST layer refuses before a resource method runs. */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response unsupportedMediaType(NotSupportedException e, HttpHeaders headers) {
        String type = headers.getHeaderString(HttpHeaders.CONTENT_TYPE);
        return LabelResource.problem(415, "Unsupported media type",
                "this endpoint does not accept " + (type == null ? "a request without Content-Type" : type));
    }

    @ServerExceptionMapper
    public Response badPaging(Paging.BadPagingException e) {
        return LabelResource.problem(400, "Invalid limit or offset", e.getMessage());
    }
}
