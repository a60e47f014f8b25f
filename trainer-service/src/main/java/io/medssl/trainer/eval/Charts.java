package io.medssl.trainer.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * PNG charts for training reports, drawn with plain Java 2D into a {@link BufferedImage}: no
 * window, {@code Toolkit} or other display resource is touched, so this works in a headless
 * server (it needs only the JDK's font support, i.e. some font installed for fontconfig).
 *
 * <p>Colours follow the order of the input (the n-th series or class gets the n-th colour of a
 * fixed palette), so the same class or method keeps its colour across charts when inputs are
 * ordered alike; pass {@link java.util.LinkedHashMap}s to control the order.
 */
public final class Charts {
    /** Size of {@link #trainingCurves} and {@link #labelEfficiency} images. */
    public static final int WIDTH = 960;
    public static final int HEIGHT = 640;
    /** Size of the (square-plotted) {@link #rocCurves} image. */
    public static final int ROC_WIDTH = 800;
    public static final int ROC_HEIGHT = 800;

    /** Matplotlib's "tab10" palette: distinguishable, and familiar from papers. */
    static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf),
    };

    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 20);
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 16);
    private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Font LEGEND_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Font VALUE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Color GRID = new Color(0xe3e3e3);
    private static final Color AXIS = new Color(0x333333);
    private static final Stroke LINE = new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    private static final Stroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
            new float[] {7f, 6f}, 0f);
    /** Series with at most this many points also get a marker per point (e.g. per-epoch validation). */
    private static final int MARKER_LIMIT = 60;

    private Charts() {
    }

    static Color color(int index) {
        return PALETTE[Math.floorMod(index, PALETTE.length)];
    }

    // ------------------------------------------------------------------------------------------ ROC

    /** {@link #rocCurves(List, String, Path)} titled "ROC curves (one-vs-rest)". */
    public static void rocCurves(List<ClassificationMetrics.RocCurve> curves, Path png) throws IOException {
        rocCurves(curves, "ROC curves (one-vs-rest)", png);
    }

    /**
     * One ROC curve per class on [0, 1]², the AUC of each in the legend, and the chance diagonal.
     * Classes without a curve (no positives or no negatives) are listed in the legend as "n/a".
     * Image size {@link #ROC_WIDTH} × {@link #ROC_HEIGHT}.
     */
    public static void rocCurves(List<ClassificationMetrics.RocCurve> curves, String title, Path png) throws IOException {
        Plot plot = new Plot(ROC_WIDTH, ROC_HEIGHT, title);
        Ticks ticks = Ticks.fixed(0, 1, 0.2);
        plot.layout(ticks, ticks, "False positive rate", "True positive rate");
        plot.frame();
        List<LegendEntry> legend = new ArrayList<>();
        plot.clipped(() -> plot.line(0, 0, 1, 1, Color.GRAY, DASHED));
        for (int i = 0; i < curves.size(); i++) {
            ClassificationMetrics.RocCurve curve = curves.get(i);
            Color color = color(i);
            if (curve.defined()) {
                plot.clipped(() -> plot.polyline(curve.fpr(), curve.tpr(), color, LINE));
                legend.add(new LegendEntry(curve.label() + "  (AUC " + fixed(curve.auc(), 3) + ")", color, LINE, false));
            } else {
                legend.add(new LegendEntry(curve.label() + "  (AUC n/a)", color, null, false));
            }
        }
        legend.add(new LegendEntry("chance  (AUC 0.500)", Color.GRAY, DASHED, false));
        plot.legend(legend, Corner.BOTTOM_RIGHT);
        plot.write(png);
    }

    // ---------------------------------------------------------------------------- training curves

    /** {@link #trainingCurves(Map, String, String, String, Path)} with axes "step" and "value". */
    public static void trainingCurves(Map<String, List<double[]>> series, String title, Path png) throws IOException {
        trainingCurves(series, title, "step", "value", png);
    }

    /**
     * A line chart of named series of {@code (step, value)} points, e.g. total loss, loss per head
     * and validation AUC, on one linear y axis scaled to the finite values (points with a NaN or
     * infinite step or value are skipped; a series is drawn through its remaining points in step
     * order). Sparse series (per-epoch metrics) get a marker per point. Image size {@link #WIDTH} ×
     * {@link #HEIGHT}.
     */
    public static void trainingCurves(Map<String, List<double[]>> series, String title, String xLabel, String yLabel,
            Path png) throws IOException {
        List<String> names = new ArrayList<>(series.keySet());
        List<double[][]> clean = new ArrayList<>();
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (String name : names) {
            List<double[]> points = new ArrayList<>();
            for (double[] p : series.get(name)) {
                if (p != null && p.length >= 2 && Double.isFinite(p[0]) && Double.isFinite(p[1])) {
                    points.add(p);
                }
            }
            points.sort((a, b) -> Double.compare(a[0], b[0]));
            double[] xs = new double[points.size()];
            double[] ys = new double[points.size()];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = points.get(i)[0];
                ys[i] = points.get(i)[1];
                xMin = Math.min(xMin, xs[i]);
                xMax = Math.max(xMax, xs[i]);
                yMin = Math.min(yMin, ys[i]);
                yMax = Math.max(yMax, ys[i]);
            }
            clean.add(new double[][] {xs, ys});
        }
        boolean empty = xMin > xMax;
        if (empty) {
            xMin = 0;
            xMax = 1;
            yMin = 0;
            yMax = 1;
        }
        Plot plot = new Plot(WIDTH, HEIGHT, title);
        plot.layout(Ticks.nice(xMin, xMax, 8), Ticks.nice(yMin, yMax, 7), xLabel, yLabel);
        plot.frame();
        List<LegendEntry> legend = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            double[] xs = clean.get(i)[0];
            double[] ys = clean.get(i)[1];
            Color color = color(i);
            boolean markers = xs.length <= MARKER_LIMIT;
            plot.clipped(() -> {
                plot.polyline(xs, ys, color, LINE);
                if (markers) {
                    for (int j = 0; j < xs.length; j++) {
                        plot.marker(xs[j], ys[j], color, 3.5);
                    }
                }
            });
            legend.add(new LegendEntry(xs.length == 0 ? names.get(i) + "  (no finite values)" : names.get(i), color,
                    xs.length == 0 ? null : LINE, markers && xs.length > 0));
        }
        if (empty) {
            plot.centredNote("no finite data");
        }
        plot.legend(legend, Corner.TOP_RIGHT);
        plot.write(png);
    }

    // --------------------------------------------------------------------------- label efficiency

    /** {@link #labelEfficiency(Map, String, Path)} titled "Label efficiency". */
    public static void labelEfficiency(Map<String, Map<Double, Double>> aucByMethodAndFraction, Path png) throws IOException {
        labelEfficiency(aucByMethodAndFraction, "Label efficiency", png);
    }

    /**
     * Macro AUC against the fraction of training labels used, one line per method (e.g. scratch,
     * ssl, ssl+consistency). Fractions are given in (0, 1] (0.01 = 1 %) and placed at evenly spaced
     * positions in increasing order (1 %, 10 %, 100 % are a log scale in effect); each point is
     * annotated with its value. A method missing a fraction, or with a NaN AUC there, simply has no
     * point there. Image size {@link #WIDTH} × {@link #HEIGHT}.
     */
    public static void labelEfficiency(Map<String, Map<Double, Double>> aucByMethodAndFraction, String title, Path png)
            throws IOException {
        TreeSet<Double> fractionSet = new TreeSet<>();
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (Map<Double, Double> byFraction : aucByMethodAndFraction.values()) {
            for (Map.Entry<Double, Double> e : byFraction.entrySet()) {
                if (e.getKey() != null && Double.isFinite(e.getKey())) {
                    fractionSet.add(e.getKey());
                    if (e.getValue() != null && Double.isFinite(e.getValue())) {
                        yMin = Math.min(yMin, e.getValue());
                        yMax = Math.max(yMax, e.getValue());
                    }
                }
            }
        }
        List<Double> fractions = new ArrayList<>(fractionSet);
        if (yMin > yMax) {
            yMin = 0.5;
            yMax = 1;
        }
        Ticks yTicks = Ticks.nice(yMin, yMax, 7);
        if (yMin >= 0 && yMax <= 1) {
            // An AUC axis: pad a little, but never beyond [0, 1].
            double pad = Math.max(0.02, (yMax - yMin) * 0.15);
            yTicks = Ticks.nice(Math.max(0, yMin - pad), Math.min(1, yMax + pad), 7).clamp(0, 1);
        }
        int n = Math.max(1, fractions.size());
        double[] xTickValues = new double[fractions.size()];
        String[] xTickLabels = new String[fractions.size()];
        for (int i = 0; i < fractions.size(); i++) {
            xTickValues[i] = i + 0.5;
            xTickLabels[i] = percent(fractions.get(i));
        }
        Plot plot = new Plot(WIDTH, HEIGHT, title);
        plot.layout(new Ticks(0, n, xTickValues, xTickLabels), yTicks, "fraction of training labels", "macro AUC");
        plot.frame();
        if (yTicks.lo() < 0.5 && yTicks.hi() > 0.5) {
            plot.clipped(() -> plot.line(0, 0.5, n, 0.5, Color.GRAY, DASHED));
        }
        List<LegendEntry> legend = new ArrayList<>();
        List<String> methods = new ArrayList<>(aucByMethodAndFraction.keySet());
        // Per fraction slot: (pixel y, method index, value) of every point, for the value labels.
        List<List<double[]>> labels = new ArrayList<>();
        for (int f = 0; f < fractions.size(); f++) {
            labels.add(new ArrayList<>());
        }
        for (int m = 0; m < methods.size(); m++) {
            Map<Double, Double> byFraction = aucByMethodAndFraction.get(methods.get(m));
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int f = 0; f < fractions.size(); f++) {
                Double auc = byFraction.get(fractions.get(f));
                if (auc != null && Double.isFinite(auc)) {
                    xs.add(f + 0.5);
                    ys.add(auc);
                    labels.get(f).add(new double[] {plot.py(auc), m, auc});
                }
            }
            Color color = color(m);
            double[] xa = xs.stream().mapToDouble(Double::doubleValue).toArray();
            double[] ya = ys.stream().mapToDouble(Double::doubleValue).toArray();
            plot.clipped(() -> {
                plot.polyline(xa, ya, color, LINE);
                for (int j = 0; j < xa.length; j++) {
                    plot.marker(xa[j], ya[j], color, 5);
                }
            });
            legend.add(new LegendEntry(methods.get(m), color, LINE, true));
        }
        for (int f = 0; f < fractions.size(); f++) {
            plot.valueLabels(plot.px(f + 0.5) + 10, labels.get(f));
        }
        plot.legend(legend, Corner.BOTTOM_RIGHT);
        plot.write(png);
    }

    /** 0.01 → "1%", 0.005 → "0.5%", 1.0 → "100%". */
    static String percent(double fraction) {
        BigDecimal pct = BigDecimal.valueOf(fraction).movePointRight(2).stripTrailingZeros();
        if (pct.scale() > 3) {
            pct = pct.setScale(3, java.math.RoundingMode.HALF_UP).stripTrailingZeros();
        }
        return pct.toPlainString() + "%";
    }

    static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    // ----------------------------------------------------------------------------------- plumbing

    private enum Corner {
        TOP_RIGHT, BOTTOM_RIGHT, TOP_LEFT, BOTTOM_LEFT
    }

    private record LegendEntry(String text, Color color, Stroke stroke, boolean marker) {
    }

    /** Axis ticks: the axis spans [lo, hi]; tick positions and their labels. */
    record Ticks(double lo, double hi, double[] values, String[] labels) {

        static Ticks fixed(double lo, double hi, double step) {
            return range(lo, hi, step);
        }

        /** "Nice" ticks (1, 2, 2.5 or 5 × 10^k apart) around [min, max], about {@code target} of them. */
        static Ticks nice(double min, double max, int target) {
            if (!(max > min)) {
                double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
                min -= pad;
                max += pad;
            }
            double step = niceStep((max - min) / Math.max(1, target - 1));
            double lo = Math.floor(min / step) * step;
            double hi = Math.ceil(max / step) * step;
            return range(lo, hi, step);
        }

        private static Ticks range(double lo, double hi, double step) {
            int count = (int) Math.round((hi - lo) / step) + 1;
            int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
            if (Math.abs(step * Math.pow(10, decimals) - Math.round(step * Math.pow(10, decimals))) > 1e-6) {
                decimals++; // steps like 0.25
            }
            double[] values = new double[count];
            String[] labels = new String[count];
            for (int i = 0; i < count; i++) {
                values[i] = lo + i * step;
                labels[i] = Charts.fixed(Math.abs(values[i]) < step * 1e-9 ? 0 : values[i], decimals);
            }
            return new Ticks(lo, hi, values, labels);
        }

        private static double niceStep(double rough) {
            double exp = Math.pow(10, Math.floor(Math.log10(rough)));
            double f = rough / exp;
            double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
            return nice * exp;
        }

        /** Restricts the axis to [min, max], dropping ticks outside it. */
        Ticks clamp(double min, double max) {
            double newLo = Math.max(lo, min);
            double newHi = Math.min(hi, max);
            List<Double> v = new ArrayList<>();
            List<String> l = new ArrayList<>();
            for (int i = 0; i < values.length; i++) {
                if (values[i] >= newLo - 1e-12 && values[i] <= newHi + 1e-12) {
                    v.add(values[i]);
                    l.add(labels[i]);
                }
            }
            return new Ticks(newLo, newHi, v.stream().mapToDouble(Double::doubleValue).toArray(), l.toArray(String[]::new));
        }
    }

    /** One chart being drawn: canvas, plot area and data-to-pixel mapping. */
    private static final class Plot {
        private final BufferedImage image;
        private final Graphics2D g;
        private final String title;
        private Ticks xTicks;
        private Ticks yTicks;
        private String xLabel;
        private String yLabel;
        private Rectangle2D.Double area;
        /** Pixel positions of drawn data, so the legend can go where it hides least. */
        private final List<double[]> occupied = new ArrayList<>();

        Plot(int width, int height, String title) {
            this.image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            this.g = image.createGraphics();
            this.title = title == null ? "" : title;
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
        }

        void layout(Ticks xTicks, Ticks yTicks, String xLabel, String yLabel) {
            this.xTicks = xTicks;
            this.yTicks = yTicks;
            this.xLabel = xLabel;
            this.yLabel = yLabel;
            FontMetrics tick = g.getFontMetrics(TICK_FONT);
            FontMetrics label = g.getFontMetrics(LABEL_FONT);
            FontMetrics titleMetrics = g.getFontMetrics(TITLE_FONT);
            int widest = 0;
            for (String s : yTicks.labels()) {
                widest = Math.max(widest, tick.stringWidth(s));
            }
            double left = 16 + label.getHeight() + 10 + widest + 10;
            double top = 20 + titleMetrics.getHeight() + 10;
            double bottom = 10 + tick.getHeight() + 10 + label.getHeight() + 16;
            double right = 36;
            if (image.getWidth() == image.getHeight()) {
                // Square canvas: keep the plot area square too (ROC), centring it horizontally.
                double side = Math.min(image.getWidth() - left - right, image.getHeight() - top - bottom);
                left = Math.max(left, (image.getWidth() - side + left - right) / 2);
                area = new Rectangle2D.Double(left, top, side, side);
            } else {
                area = new Rectangle2D.Double(left, top, image.getWidth() - left - right, image.getHeight() - top - bottom);
            }
        }

        double px(double x) {
            return area.x + (x - xTicks.lo()) / (xTicks.hi() - xTicks.lo()) * area.width;
        }

        double py(double y) {
            return area.y + area.height - (y - yTicks.lo()) / (yTicks.hi() - yTicks.lo()) * area.height;
        }

        /** Title, grid, axes, ticks and axis labels. */
        void frame() {
            g.setFont(TITLE_FONT);
            g.setColor(Color.BLACK);
            FontMetrics tm = g.getFontMetrics();
            g.drawString(title, (float) (area.getCenterX() - tm.stringWidth(title) / 2.0), 20f + tm.getAscent());

            g.setStroke(new BasicStroke(1f));
            for (double v : xTicks.values()) {
                g.setColor(GRID);
                g.draw(new Line2D.Double(px(v), area.y, px(v), area.getMaxY()));
            }
            for (double v : yTicks.values()) {
                g.setColor(GRID);
                g.draw(new Line2D.Double(area.x, py(v), area.getMaxX(), py(v)));
            }
            g.setColor(AXIS);
            g.setStroke(new BasicStroke(1.3f));
            g.draw(area);

            g.setFont(TICK_FONT);
            FontMetrics fm = g.getFontMetrics();
            for (int i = 0; i < xTicks.values().length; i++) {
                double x = px(xTicks.values()[i]);
                g.draw(new Line2D.Double(x, area.getMaxY(), x, area.getMaxY() + 6));
                String s = xTicks.labels()[i];
                g.drawString(s, (float) (x - fm.stringWidth(s) / 2.0), (float) (area.getMaxY() + 10 + fm.getAscent()));
            }
            for (int i = 0; i < yTicks.values().length; i++) {
                double y = py(yTicks.values()[i]);
                g.draw(new Line2D.Double(area.x - 6, y, area.x, y));
                String s = yTicks.labels()[i];
                g.drawString(s, (float) (area.x - 10 - fm.stringWidth(s)), (float) (y + (fm.getAscent() - fm.getDescent()) / 2.0));
            }

            g.setFont(LABEL_FONT);
            FontMetrics lm = g.getFontMetrics();
            g.setColor(Color.BLACK);
            float xLabelY = (float) (area.getMaxY() + 10 + fm.getHeight() + 10 + lm.getAscent());
            g.drawString(xLabel, (float) (area.getCenterX() - lm.stringWidth(xLabel) / 2.0), xLabelY);
            AffineTransform saved = g.getTransform();
            g.translate(16 + lm.getAscent(), area.getCenterY() + lm.stringWidth(yLabel) / 2.0);
            g.rotate(-Math.PI / 2);
            g.drawString(yLabel, 0f, 0f);
            g.setTransform(saved);
        }

        void clipped(Runnable drawing) {
            Shape saved = g.getClip();
            g.clip(new Rectangle2D.Double(area.x - 6, area.y - 6, area.width + 12, area.height + 12));
            drawing.run();
            g.setClip(saved);
        }

        void line(double x0, double y0, double x1, double y1, Color color, Stroke stroke) {
            g.setColor(color);
            g.setStroke(stroke);
            g.draw(new Line2D.Double(px(x0), py(y0), px(x1), py(y1)));
            occupy(px(x0), py(y0), px(x1), py(y1));
        }

        void polyline(double[] xs, double[] ys, Color color, Stroke stroke) {
            if (xs.length == 0) {
                return;
            }
            Path2D.Double path = new Path2D.Double(Path2D.WIND_NON_ZERO, xs.length);
            path.moveTo(px(xs[0]), py(ys[0]));
            occupied.add(new double[] {px(xs[0]), py(ys[0])});
            for (int i = 1; i < xs.length; i++) {
                path.lineTo(px(xs[i]), py(ys[i]));
                occupy(px(xs[i - 1]), py(ys[i - 1]), px(xs[i]), py(ys[i]));
            }
            g.setColor(color);
            g.setStroke(stroke);
            g.draw(path);
        }

        /** Records points along a segment every ~8 px, so long straight segments count too. */
        private void occupy(double x0, double y0, double x1, double y1) {
            int steps = (int) Math.min(200, Math.ceil(Math.hypot(x1 - x0, y1 - y0) / 8));
            for (int s = 1; s <= steps; s++) {
                double t = (double) s / steps;
                occupied.add(new double[] {x0 + t * (x1 - x0), y0 + t * (y1 - y0)});
            }
        }

        void marker(double x, double y, Color color, double radius) {
            double cx = px(x);
            double cy = py(y);
            occupied.add(new double[] {cx, cy});
            Ellipse2D.Double dot = new Ellipse2D.Double(cx - radius, cy - radius, 2 * radius, 2 * radius);
            g.setColor(color);
            g.fill(dot);
            g.setColor(Color.WHITE);
            g.setStroke(new BasicStroke(1f));
            g.draw(dot);
        }

        /**
         * Value labels (entries {pixel y, series index, value}) in a column starting at pixel x,
         * nudged apart vertically so that they do not overlap.
         */
        void valueLabels(double x, List<double[]> entries) {
            g.setFont(VALUE_FONT);
            FontMetrics fm = g.getFontMetrics();
            double h = fm.getAscent() + 1;
            List<double[]> sorted = new ArrayList<>(entries);
            sorted.sort((a, b) -> Double.compare(a[0], b[0]));
            double[] ys = new double[sorted.size()];
            for (int i = 0; i < ys.length; i++) {
                double want = sorted.get(i)[0] + fm.getAscent() / 2.0 - 1;
                ys[i] = i == 0 ? want : Math.max(want, ys[i - 1] + h);
            }
            double overflow = ys.length == 0 ? 0 : ys[ys.length - 1] - (area.getMaxY() - 2);
            for (int i = ys.length - 1; i >= 0 && overflow > 0; i--) {
                ys[i] -= overflow;
                if (i > 0) {
                    overflow = ys[i - 1] + h - ys[i];
                }
            }
            for (int i = 0; i < ys.length; i++) {
                String s = fixed(sorted.get(i)[2], 3);
                g.setColor(color((int) sorted.get(i)[1]).darker());
                g.drawString(s, (float) x, (float) ys[i]);
                occupied.add(new double[] {x + fm.stringWidth(s) / 2.0, ys[i] - h / 2});
            }
        }

        void centredNote(String text) {
            g.setFont(LABEL_FONT);
            g.setColor(Color.GRAY);
            FontMetrics fm = g.getFontMetrics();
            g.drawString(text, (float) (area.getCenterX() - fm.stringWidth(text) / 2.0), (float) area.getCenterY());
        }

        /** Draws the legend in the corner of the plot area that covers the fewest data points. */
        void legend(List<LegendEntry> entries, Corner preferred) {
            if (entries.isEmpty()) {
                return;
            }
            g.setFont(LEGEND_FONT);
            FontMetrics fm = g.getFontMetrics();
            double sample = 30;
            double pad = 10;
            double rowHeight = fm.getHeight() + 4;
            double textWidth = 0;
            for (LegendEntry e : entries) {
                textWidth = Math.max(textWidth, fm.stringWidth(e.text()));
            }
            double w = pad + sample + 8 + textWidth + pad;
            double h = pad + rowHeight * entries.size() + pad - 4;
            double inset = 12;
            Rectangle2D.Double best = null;
            long bestCount = Long.MAX_VALUE;
            List<Corner> order = new ArrayList<>(List.of(preferred));
            for (Corner c : Corner.values()) {
                if (c != preferred) {
                    order.add(c);
                }
            }
            for (Corner c : order) {
                double x = c == Corner.TOP_LEFT || c == Corner.BOTTOM_LEFT ? area.x + inset : area.getMaxX() - inset - w;
                double y = c == Corner.TOP_LEFT || c == Corner.TOP_RIGHT ? area.y + inset : area.getMaxY() - inset - h;
                Rectangle2D.Double box = new Rectangle2D.Double(x, y, w, h);
                long count = occupied.stream().filter(p -> box.contains(p[0], p[1])).count();
                if (count < bestCount) {
                    best = box;
                    bestCount = count;
                }
            }
            g.setColor(new Color(255, 255, 255, 225));
            g.fill(best);
            g.setColor(new Color(0xaaaaaa));
            g.setStroke(new BasicStroke(1f));
            g.draw(best);
            for (int i = 0; i < entries.size(); i++) {
                LegendEntry e = entries.get(i);
                double top = best.y + pad + i * rowHeight;
                double mid = top + fm.getHeight() / 2.0;
                double sx = best.x + pad;
                if (e.stroke() != null) {
                    g.setColor(e.color());
                    g.setStroke(e.stroke());
                    g.draw(new Line2D.Double(sx, mid, sx + sample, mid));
                }
                if (e.marker()) {
                    double r = 4;
                    g.setColor(e.color());
                    g.fill(new Ellipse2D.Double(sx + sample / 2 - r, mid - r, 2 * r, 2 * r));
                }
                g.setColor(e.stroke() == null && !e.marker() ? Color.GRAY : Color.BLACK);
                g.drawString(e.text(), (float) (sx + sample + 8), (float) (top + fm.getAscent()));
            }
        }

        void write(Path png) throws IOException {
            g.dispose();
            Path parent = png.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            // An in-memory cache: no temporary files from ImageIO's disk cache.
            try (OutputStream out = Files.newOutputStream(png);
                    ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
                if (!ImageIO.write(image, "png", ios)) {
                    throw new IOException("no PNG writer available");
                }
            }
        }
    }
}
