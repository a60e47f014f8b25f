package io.medssl.inference.batching;

/** The model's request queue is full: the caller should retry later (HTTP 503 + Retry-After). */
public final class QueueFullException extends RuntimeException {
    public QueueFullException(String message) {
        super(message);
    }
}
