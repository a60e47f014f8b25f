package io.medssl.inference.predict;

import io.medssl.dicom.DicomObject;
import io.medssl.dicom.DicomReader;
import io.medssl.dicom.InvalidDicomException;
import io.medssl.dicom.PixelDecoder;
import io.medssl.dicom.UndecodableImageException;
import io.medssl.imaging.PixelArray;
import io.medssl.inference.registry.LoadedModel;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DICOM in, class probabilities out, through the same decoder (libs/dicom) and preprocessing
 * (libs/imaging via libs/models) that produced the training data.
 */
@ApplicationScoped
public class PredictionService {

    public Prediction predict(LoadedModel model, InputStream dicom) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("medssl-predict-", ".dcm");
            Files.copy(dicom, tmp, StandardCopyOption.REPLACE_EXISTING);
            DicomObject object = DicomReader.read(tmp);
            PixelArray pixels = PixelDecoder.decode(object);
            int frame = pixels.frames() / 2;
            float[] p = model.classifier().predict(pixels.frame(frame));
            List<String> labels = model.manifest().labels();
            Map<String, Double> probabilities = new LinkedHashMap<>();
            int best = 0;
            for (int i = 0; i < p.length; i++) {
                probabilities.put(labels.get(i), (double) p[i]);
                if (p[i] > p[best]) {
                    best = i;
                }
            }
            return new Prediction(model.name(), model.version(), model.manifest().task(), probabilities, labels.get(best),
                    frame, pixels.frames(), pixels.rows(), pixels.cols());
        } catch (InvalidDicomException e) {
            throw new ProblemException(415, "Not a DICOM object", e.getMessage());
        } catch (UndecodableImageException e) {
            throw new ProblemException(422, "Image cannot be decoded", e.getMessage());
        } catch (IOException e) {
            throw new ProblemException(400, "Request body could not be read", e.getMessage());
        } catch (ai.djl.translate.TranslateException e) {
            throw new ProblemException(500, "Model failed", e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // temp file: the OS cleans it eventually
                }
            }
        }
    }
}
