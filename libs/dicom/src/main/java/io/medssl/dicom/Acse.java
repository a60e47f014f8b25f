package io.medssl.dicom;

import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.VersionAndConstants;
import com.pixelmed.network.PresentationContext;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.List;

/**
 * The association-control PDUs of the storage node (PS3.8 9.3.2-9.3.4, 9.3.7, 9.3.8): parse an
 * A-ASSOCIATE-RQ, build A-ASSOCIATE-AC/RJ, A-RELEASE-RP and A-ABORT.
 *
 * <p>Written here rather than borrowed: PixelMed's PDU classes are package-private, and a class
 * placed in {@code com.pixelmed.network} to reach them (a split package) fails under Quarkus test
 * and dev mode, where this module and the PixelMed jar sit in different class loaders
 * (IllegalAccessError). PixelMed still supplies the presentation-context type, the implementation
 * UID and the DIMSE encoding.
 */
final class Acse {
    static final String APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";
    /**
     * What we offer to receive per PDU: 128 KiB, so a 512x512 CT slice arrives in 4 PDUs rather
     * than 32 (fewer reads and headers per object; senders fragment to what we offer).
     */
    static final int OUR_MAX_PDU = 131072;

    static final int REJECTED_PERMANENT = 1;
    static final int REJECTED_TRANSIENT = 2;
    static final int SOURCE_SERVICE_USER = 1;
    static final int SOURCE_SERVICE_PROVIDER_PRESENTATION = 3;
    static final int REASON_APPLICATION_CONTEXT_NOT_SUPPORTED = 2;
    static final int REASON_CALLING_AE_NOT_RECOGNIZED = 3;
    static final int REASON_CALLED_AE_NOT_RECOGNIZED = 7;
    static final int REASON_LOCAL_LIMIT_EXCEEDED = 2;

    static final int ABORT_SOURCE_PROVIDER = 2;
    static final int ABORT_REASON_NOT_SPECIFIED = 0;
    static final int ABORT_REASON_UNEXPECTED_PDU = 2;
    static final int ABORT_REASON_INVALID_PARAMETER = 6;

    private Acse() {
    }

    /** What an A-ASSOCIATE-RQ asked for. AE titles without padding; contexts in proposal order. */
    record Request(String calledAeTitle, String callingAeTitle, String applicationContext,
                   LinkedList<PresentationContext> presentationContexts, long maximumLengthReceived) {
    }

    /** Thrown for a PDU that does not follow PS3.8. */
    static final class MalformedPdu extends Exception {
        MalformedPdu(String message) {
            super(message);
        }
    }

    static Request parseRequest(byte[] pdu) throws MalformedPdu {
        if ((pdu[0] & 0xff) != 0x01) {
            throw new MalformedPdu("not an A-ASSOCIATE-RQ");
        }
        if (pdu.length < 74) {
            throw new MalformedPdu("A-ASSOCIATE-RQ of " + pdu.length + " bytes is too short");
        }
        String called = ascii(pdu, 10, 16);
        String calling = ascii(pdu, 26, 16);
        String context = "";
        LinkedList<PresentationContext> contexts = new LinkedList<>();
        long maxLength = 0;
        int pos = 74;
        while (pos < pdu.length) {
            int type = item(pdu, pos);
            int length = itemLength(pdu, pos);
            int value = pos + 4;
            switch (type) {
                case 0x10 -> context = ascii(pdu, value, length);
                case 0x20 -> contexts.add(presentationContext(pdu, value, length));
                case 0x50 -> {
                    for (int sub = value; sub < value + length; sub += 4 + itemLength(pdu, sub)) {
                        if (item(pdu, sub) == 0x51 && itemLength(pdu, sub) == 4) {
                            maxLength = uint32(pdu, sub + 4);
                        }
                    }
                    checkEnd(pdu, value + length);
                }
                default -> {
                    // Other items carry nothing we act on.
                }
            }
            pos = value + length;
        }
        return new Request(called, calling, context, contexts, maxLength);
    }

    private static PresentationContext presentationContext(byte[] pdu, int at, int length) throws MalformedPdu {
        if (length < 4) {
            throw new MalformedPdu("short presentation context item");
        }
        byte id = pdu[at];
        String abstractSyntax = null;
        LinkedList<String> transferSyntaxes = new LinkedList<>();
        int end = at + length;
        for (int sub = at + 4; sub < end; sub += 4 + itemLength(pdu, sub)) {
            int subLength = itemLength(pdu, sub);
            if (sub + 4 + subLength > end) {
                throw new MalformedPdu("presentation context sub-item overruns its item");
            }
            switch (item(pdu, sub)) {
                case 0x30 -> abstractSyntax = uid(pdu, sub + 4, subLength);
                case 0x40 -> transferSyntaxes.add(uid(pdu, sub + 4, subLength));
                default -> throw new MalformedPdu("unexpected sub-item in a presentation context");
            }
        }
        if (abstractSyntax == null || transferSyntaxes.isEmpty()) {
            throw new MalformedPdu("presentation context " + (id & 0xff) + " without abstract or transfer syntax");
        }
        return new PresentationContext(id, abstractSyntax, transferSyntaxes);
    }

    /**
     * The A-ASSOCIATE-AC answering {@code request} once a policy has marked each presentation
     * context's result (and left one transfer syntax on each accepted one). No SCP/SCU role
     * selection is returned: default roles (the caller is the storage SCU) are all we serve.
     */
    static byte[] accept(Request request) {
        ByteArrayOutputStream items = new ByteArrayOutputStream();
        item(items, 0x10, APPLICATION_CONTEXT.getBytes(StandardCharsets.US_ASCII));
        for (PresentationContext pc : request.presentationContexts()) {
            ByteArrayOutputStream value = new ByteArrayOutputStream();
            value.write(pc.getIdentifier());
            value.write(0);
            value.write(pc.getResultReason());
            value.write(0);
            String ts = pc.getResultReason() == 0 ? pc.getTransferSyntaxUID() : TransferSyntax.ImplicitVRLittleEndian;
            item(value, 0x40, ts.getBytes(StandardCharsets.US_ASCII));
            item(items, 0x21, value.toByteArray());
        }
        ByteArrayOutputStream user = new ByteArrayOutputStream();
        item(user, 0x51, new byte[] {(byte) (OUR_MAX_PDU >>> 24), (byte) (OUR_MAX_PDU >>> 16), (byte) (OUR_MAX_PDU >>> 8), (byte) OUR_MAX_PDU});
        item(user, 0x52, VersionAndConstants.implementationClassUID.getBytes(StandardCharsets.US_ASCII));
        item(user, 0x55, VersionAndConstants.implementationVersionName.getBytes(StandardCharsets.US_ASCII));
        item(items, 0x50, user.toByteArray());

        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0);
        body.write(1); // protocol version 1
        body.write(0);
        body.write(0);
        body.writeBytes(aeField(request.calledAeTitle()));
        body.writeBytes(aeField(request.callingAeTitle()));
        body.writeBytes(new byte[32]);
        body.writeBytes(items.toByteArray());
        return pdu(0x02, body.toByteArray());
    }

    static byte[] reject(int result, int source, int reason) {
        return pdu(0x03, new byte[] {0, (byte) result, (byte) source, (byte) reason});
    }

    static byte[] releaseResponse() {
        return pdu(0x06, new byte[4]);
    }

    static byte[] abort(int source, int reason) {
        return pdu(0x07, new byte[] {0, 0, (byte) source, (byte) reason});
    }

    private static byte[] pdu(int type, byte[] body) {
        byte[] pdu = new byte[6 + body.length];
        pdu[0] = (byte) type;
        pdu[2] = (byte) (body.length >>> 24);
        pdu[3] = (byte) (body.length >>> 16);
        pdu[4] = (byte) (body.length >>> 8);
        pdu[5] = (byte) body.length;
        System.arraycopy(body, 0, pdu, 6, body.length);
        return pdu;
    }

    private static void item(ByteArrayOutputStream to, int type, byte[] value) {
        to.write(type);
        to.write(0);
        to.write(value.length >>> 8);
        to.write(value.length & 0xff);
        to.writeBytes(value);
    }

    private static byte[] aeField(String title) {
        byte[] field = new byte[16];
        Arrays.fill(field, (byte) ' ');
        byte[] t = title.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(t, 0, field, 0, Math.min(16, t.length));
        return field;
    }

    private static int item(byte[] pdu, int at) throws MalformedPdu {
        checkEnd(pdu, at + 4);
        return pdu[at] & 0xff;
    }

    private static int itemLength(byte[] pdu, int at) throws MalformedPdu {
        checkEnd(pdu, at + 4);
        int length = ((pdu[at + 2] & 0xff) << 8) | (pdu[at + 3] & 0xff);
        checkEnd(pdu, at + 4 + length);
        return length;
    }

    private static void checkEnd(byte[] pdu, int end) throws MalformedPdu {
        if (end > pdu.length) {
            throw new MalformedPdu("item overruns the A-ASSOCIATE-RQ");
        }
    }

    private static long uint32(byte[] b, int at) {
        return ((b[at] & 0xffL) << 24) | ((b[at + 1] & 0xffL) << 16) | ((b[at + 2] & 0xffL) << 8) | (b[at + 3] & 0xffL);
    }

    /** AE titles: leading and trailing spaces are not significant (PS3.8 9.3.2). */
    private static String ascii(byte[] b, int at, int length) throws MalformedPdu {
        checkEnd(b, at + length);
        return new String(b, at, length, StandardCharsets.US_ASCII).strip();
    }

    /** UIDs may be padded with a trailing NUL. */
    private static String uid(byte[] b, int at, int length) throws MalformedPdu {
        String s = ascii(b, at, length);
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '\0') {
            end--;
        }
        return s.substring(0, end).strip();
    }

    /** The contexts a policy accepted. */
    static List<PresentationContext> accepted(Request request) {
        return request.presentationContexts().stream().filter(pc -> pc.getResultReason() == 0).toList();
    }
}
