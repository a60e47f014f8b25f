package io.medssl.inference.predict;

import io.medssl.imaging.GrayImage;
import io.medssl.imaging.ModelInput;
import io.medssl.inference.registry.LoadedModel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Occlusion saliency (Zeiler &amp; Fergus, 2014): the model input is covered one square at a time
 * (an 8×8 grid, each square filled with the image mean) and the drop in the predicted class's
 * probability is where the model looked. All 64 occluded copies go through the model as one batch.
 * Drawn as a red overlay on the model input, 4× enlarged.
 */
public final class OcclusionSaliency {
    static final int GRID = 8;
    private static final int ZOOM = 4;

    private OcclusionSaliency() {
    }

    /** Heat per grid cell (row-major), in [0, 1]: the normalised probability drop. */
    static float[] heat(LoadedModel model, GrayImage input, int classIndex, float baseProbability) {
        int s = input.rows();
        int cell = s / GRID;
        float mean = 0;
        for (float v : input.pixels()) {
            mean += v;
        }
        mean /= input.pixels().length;
        List<GrayImage> occluded = new ArrayList<>(GRID * GRID);
        for (int gy = 0; gy < GRID; gy++) {
            for (int gx = 0; gx < GRID; gx++) {
                float[] p = input.pixels().clone();
                for (int r = gy * cell; r < (gy + 1) * cell; r++) {
                    for (int c = gx * cell; c < (gx + 1) * cell; c++) {
                        p[r * s + c] = mean;
                    }
                }
                occluded.add(new GrayImage(s, s, p));
            }
        }
        List<float[]> out = model.predictAll(occluded);
        float[] heat = new float[GRID * GRID];
        float max = 1e-6f;
        for (int i = 0; i < heat.length; i++) {
            heat[i] = Math.max(0, baseProbability - out.get(i)[classIndex]);
            max = Math.max(max, heat[i]);
        }
        for (int i = 0; i < heat.length; i++) {
            heat[i] /= max;
        }
        return heat;
    }

    /** The saliency PNG (base64) for the class the model predicted on {@code frame}. */
    public static String png(LoadedModel model, GrayImage frame, float[] probabilities) throws IOException {
        int best = LoadedModel.bestIndex(probabilities);
        int s = model.manifest().network().inputSize();
        GrayImage input = ModelInput.square(frame, s);
        float[] heat = heat(model, input, best, probabilities[best]);
        int cell = s / GRID;
        BufferedImage image = new BufferedImage(s * ZOOM, s * ZOOM, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < s * ZOOM; y++) {
            for (int x = 0; x < s * ZOOM; x++) {
                int r = y / ZOOM;
                int c = x / ZOOM;
                float gray = Math.max(0, Math.min(1, input.pixels()[r * s + c]));
                float h = heat[Math.min(GRID - 1, r / cell) * GRID + Math.min(GRID - 1, c / cell)] * 0.6f;
                int red = Math.round(255 * (gray * (1 - h) + h));
                int other = Math.round(255 * gray * (1 - h));
                image.setRGB(x, y, (red << 16) | (other << 8) | other);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        return Base64.getEncoder().encodeToString(png.toByteArray());
    }
}
