package io.medssl.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 7807 problem detail, the body of every MedSSL 4xx/5xx answer
 * ({@code application/problem+json}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String title, String detail) {
        return new Problem("about:blank", title, status, detail, null);
    }
}
