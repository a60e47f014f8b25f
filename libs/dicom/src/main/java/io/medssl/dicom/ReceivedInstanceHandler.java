package io.medssl.dicom;

/**
 * What a service does with each object a C-STORE delivered. Called after the object is complete
 * and before the C-STORE response is sent: the response carries the handler's answer, so the
 * handler answers {@link StoreResult#stored()} only once the object is durable.
 *
 * <p>An object held in memory is valid only until the handler returns (the association reuses the
 * memory). A file ({@link ReceivedInstance#file()}) is the handler's to move or delete. Whatever is
 * left of it after a failure answer (or an exception, which the sender sees as 0xA700 out of
 * resources) is deleted by the node.
 */
@FunctionalInterface
public interface ReceivedInstanceHandler {
    StoreResult onReceived(ReceivedInstance instance) throws Exception;
}
