package io.medssl.pretext.preview;

import io.medssl.contracts.PretextShardReady;
import io.medssl.contracts.PretextTask;
import io.medssl.imaging.Npy;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Renders a PNG-ready grid of a shard's samples for a person to check: one row per task, a few
 * samples per row, each showing every input channel side by side and then its target (the class
 * label as text, or the regression target / second view as an image).
 */
public final class ShardPreview {
    private static final int SCALE = 2;
    private static final int PAD = 6;
    private static final int LABEL_HEIGHT = 16;
    private static final int TITLE_WIDTH = 150;

    private ShardPreview() {
    }

    public static BufferedImage render(PretextShardReady shard, Map<String, Npy.Array> arrays, int perTask,
                                       Map<String, List<String>> labelNames) throws IOException {
        List<PretextTask> tasks = shard.tasks();
        int rowHeight = 0;
        int width = 0;
        for (PretextTask t : tasks) {
            int[] cell = cellSize(t);
            rowHeight = Math.max(rowHeight, cell[1]);
            width = Math.max(width, TITLE_WIDTH + Math.min(perTask, t.samples()) * (cell[0] + PAD));
        }
        rowHeight += LABEL_HEIGHT + PAD;
        BufferedImage image = new BufferedImage(Math.max(width, 200), Math.max(1, tasks.size()) * rowHeight + PAD,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.DARK_GRAY);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int row = 0; row < tasks.size(); row++) {
            PretextTask t = tasks.get(row);
            int y0 = PAD + row * rowHeight;
            g.setColor(Color.WHITE);
            g.drawString(t.name(), PAD, y0 + 12);
            g.setColor(Color.LIGHT_GRAY);
            g.drawString(t.kind() + (t.classes() > 0 ? " (" + t.classes() + ")" : ""), PAD, y0 + 26);
            Npy.Array x = arrays.get(t.inputArray());
            Npy.Array y = arrays.get(t.targetArray());
            if (x == null || y == null) {
                throw new IOException("shard lacks arrays of task " + t.name());
            }
            float[] xs = x.asFloats();
            int[] in = t.inputShape().stream().mapToInt(Integer::intValue).toArray();
            int inSize = in[0] * in[1] * in[2];
            int[] cell = cellSize(t);
            for (int s = 0; s < Math.min(perTask, t.samples()); s++) {
                int x0 = TITLE_WIDTH + s * (cell[0] + PAD);
                int cx = x0;
                for (int ch = 0; ch < in[0]; ch++) {
                    drawGray(image, xs, s * inSize + ch * in[1] * in[2], in[1], in[2], cx, y0);
                    cx += in[2] * SCALE + 2;
                }
                String caption;
                if (t.kind().equals(PretextTask.CLASSIFICATION)) {
                    int label = (int) y.asLongs()[s];
                    List<String> names = labelNames.get(t.name());
                    caption = "class " + label + (names != null && label < names.size() ? " " + names.get(label) : "");
                } else {
                    int[] ts = t.shape().stream().mapToInt(Integer::intValue).toArray();
                    int tSize = ts[0] * ts[1] * ts[2];
                    g.setColor(Color.ORANGE);
                    g.drawLine(cx, y0, cx, y0 + in[1] * SCALE);
                    drawGray(image, y.asFloats(), s * tSize, ts[1], ts[2], cx + 3, y0);
                    caption = t.kind().equals(PretextTask.VIEWS) ? "view A | view B" : "input | target";
                }
                g.setColor(Color.WHITE);
                g.drawString(caption, x0, y0 + cell[1] + LABEL_HEIGHT - 4);
            }
        }
        g.dispose();
        return image;
    }

    /** Width and height in pixels of one sample's drawing. */
    private static int[] cellSize(PretextTask t) {
        int[] in = t.inputShape().stream().mapToInt(Integer::intValue).toArray();
        int w = in[0] * (in[2] * SCALE + 2);
        int h = in[1] * SCALE;
        if (!t.kind().equals(PretextTask.CLASSIFICATION)) {
            w += t.shape().get(2) * SCALE + 4;
            h = Math.max(h, t.shape().get(1) * SCALE);
        }
        return new int[] {Math.max(w, 90), h};
    }

    private static void drawGray(BufferedImage image, float[] data, int offset, int rows, int cols, int x0, int y0) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int v = Math.round(Math.max(0, Math.min(1, data[offset + r * cols + c])) * 255);
                int rgb = (v << 16) | (v << 8) | v;
                for (int dy = 0; dy < SCALE; dy++) {
                    for (int dx = 0; dx < SCALE; dx++) {
                        int px = x0 + c * SCALE + dx;
                        int py = y0 + r * SCALE + dy;
                        if (px < image.getWidth() && py < image.getHeight()) {
                            image.setRGB(px, py, rgb);
                        }
                    }
                }
            }
        }
    }
}
