package io.medssl.dicom;

import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.network.PresentationContext;
import com.pixelmed.network.PresentationContextSelectionPolicy;
import java.util.LinkedList;
import java.util.List;
import java.util.Set;

/**
 * Which presentation contexts the node accepts: Verification and every storage SOP class, each in
 * the first transfer syntax the caller proposed that we can store. Taking the caller's first
 * choice matters: a modality sending a JPEG-lossless file lists that syntax first, and PixelMed's
 * own policies would pick explicit little endian instead, which the caller then has to transcode
 * (dcmtk's storescu cannot, and fails the store).
 */
final class StorePresentationContextPolicy implements PresentationContextSelectionPolicy {
    private static final byte ACCEPTANCE = 0;
    private static final byte ABSTRACT_SYNTAX_NOT_SUPPORTED = 3;
    private static final byte TRANSFER_SYNTAXES_NOT_SUPPORTED = 4;

    /** Stored as received; whether the pixels decode is decided later, per object. */
    static final Set<String> STORABLE = Set.of(
            TransferSyntax.ImplicitVRLittleEndian, TransferSyntax.ExplicitVRLittleEndian,
            TransferSyntax.ExplicitVRBigEndian, TransferSyntax.DeflatedExplicitVRLittleEndian,
            TransferSyntax.RLE, TransferSyntax.JPEGBaseline, TransferSyntax.JPEGExtended,
            TransferSyntax.JPEGLossless, TransferSyntax.JPEGLosslessSV1, TransferSyntax.JPEGLS,
            TransferSyntax.JPEGNLS, TransferSyntax.JPEG2000Lossless, TransferSyntax.JPEG2000);

    @Override
    public LinkedList applyPresentationContextSelectionPolicy(LinkedList contexts, int association, int debugLevel) {
        return applyPresentationContextSelectionPolicy(contexts, association);
    }

    @Override
    @SuppressWarnings("unchecked")
    public LinkedList applyPresentationContextSelectionPolicy(LinkedList contexts, int association) {
        for (Object o : contexts) {
            PresentationContext pc = (PresentationContext) o;
            String abstractSyntax = pc.getAbstractSyntaxUID();
            if (!SOPClass.isVerification(abstractSyntax) && !SOPClass.isStorage(abstractSyntax)) {
                reject(pc, ABSTRACT_SYNTAX_NOT_SUPPORTED);
                continue;
            }
            String chosen = null;
            for (Object ts : (List<Object>) pc.getTransferSyntaxUIDs()) {
                if (STORABLE.contains(ts.toString())) {
                    chosen = ts.toString();
                    break;
                }
            }
            if (chosen == null) {
                reject(pc, TRANSFER_SYNTAXES_NOT_SUPPORTED);
            } else {
                pc.newTransferSyntaxUIDs();
                pc.addTransferSyntaxUID(chosen);
                pc.setResultReason(ACCEPTANCE);
            }
        }
        return contexts;
    }

    private static void reject(PresentationContext pc, byte reason) {
        pc.newTransferSyntaxUIDs();
        pc.addTransferSyntaxUID(TransferSyntax.ImplicitVRLittleEndian);
        pc.setResultReason(reason);
    }
}
