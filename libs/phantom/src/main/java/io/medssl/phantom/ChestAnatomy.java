package io.medssl.phantom;

import java.util.ArrayList;
import java.util.List;

/**
 * One patient's chest at the level of the heart, as a continuous function from a point to HU.
 * Every random choice is made in the constructor, in a fixed order, so a seed fixes the anatomy.
 *
 * <p>Coordinates: the field of view spans [−1, 1] on both axes (1 unit = half the field of view,
 * 200 mm); x grows to the image right (the patient's left), y grows downwards (posterior, the
 * patient lies supine on the table). Anatomy is defined in a body frame centred on the body and
 * rotated by a few degrees against the scanner frame; the table stays in the scanner frame.
 *
 * <p>What makes the classification hard on purpose: vessel cross-sections and hilar vessels look
 * like small nodules; ribs touch the lungs where juxtapleural nodules sit; normal lungs get denser
 * posteriorly and sometimes show a thin dependent band, which a small effusion resembles; fluid
 * has almost the density of the chest wall, so a small effusion is mostly seen as a lung that
 * stops short; noise, blur and a global gain and offset vary per patient.
 */
final class ChestAnatomy {
    static final double AIR = -1000;
    /** Millimetres per unit: half of {@link ChestPhantom#FIELD_OF_VIEW_MM}. */
    static final double MM_PER_UNIT = ChestPhantom.FIELD_OF_VIEW_MM / 2;

    // Scanner frame → body frame.
    private final double cx;
    private final double cy;
    private final double cos;
    private final double sin;
    // Body outline: superellipse |x/a|^p + |y/b|^p <= 1, a fat rim, then muscle and ribs (the wall).
    private final double a;
    private final double b;
    private final double p;
    private final double fat;
    private final double wall;
    private final double softTissueHu;
    private final double fatHu;
    private final double mediastinumHu;
    /** IV contrast in the heart and aorta (and partly in pulmonary vessels); 0 for a plain scan. */
    private final double enhancementHu;
    // Heart: ellipse, myocardium ring, pericardial fat around it.
    private final double hx;
    private final double hy;
    private final double ha;
    private final double hb;
    private final double hcos;
    private final double hsin;
    // Mediastinal strip between the lungs, in front of the spine.
    private final double mx;
    private final double mw;
    // Spine: vertebral body, canal, posterior elements.
    private final double vy;
    private final double vr;
    private final double canalY;
    private final double canalR;
    private final double boneHu;
    private final double cancellousHu;
    // Descending aorta.
    private final double ax;
    private final double ay;
    private final double ar;
    // Sternum.
    private final double sy;
    private final double sternumHu;
    /** Rib cross-sections: x, y, cos, sin (tangent), hu. */
    private final List<double[]> ribs = new ArrayList<>();
    // Table (scanner frame).
    private final double tableTop;
    private final double tableThickness;
    private final double tableCurve;
    // Lung texture: two octaves of smooth noise.
    private final Texture coarse;
    private final Texture fine;
    private final double textureHu;
    private final Lung[] lungs = new Lung[2];
    // Reconstruction (applied by ChestPhantom after sampling).
    final double blurMm;
    final double noiseHu;
    final double gain;
    final double offsetHu;

    /** Set by {@link #sample}: whether the last sample fell in a finding (nodule or fluid). */
    boolean lastSampleWasFinding;

    ChestAnatomy(Draws d, PhantomClass label) {
        cx = d.gaussian() * 0.03;
        cy = -0.03 + d.gaussian() * 0.025;
        double theta = Math.toRadians(d.uniform(-4, 4));
        cos = Math.cos(theta);
        sin = Math.sin(theta);
        a = d.uniform(0.70, 0.86);
        b = a * d.uniform(0.62, 0.74);
        p = d.uniform(2.0, 2.6);
        fat = d.uniform(0.015, 0.07);
        wall = d.uniform(0.045, 0.08);
        softTissueHu = d.uniform(30, 55);
        fatHu = d.uniform(-115, -85);
        mediastinumHu = d.uniform(-90, -40);
        enhancementHu = d.chance(0.5) ? d.uniform(100, 300) : 0;

        hx = a * d.uniform(0.08, 0.18);
        hy = -b * d.uniform(0.08, 0.24);
        ha = a * d.uniform(0.25, 0.31);
        hb = b * d.uniform(0.32, 0.40);
        double heartAngle = Math.toRadians(d.uniform(-40, -15));
        hcos = Math.cos(heartAngle);
        hsin = Math.sin(heartAngle);
        mx = d.gaussian() * 0.01;
        mw = d.uniform(0.06, 0.10);

        vr = d.uniform(0.075, 0.095);
        vy = b - fat - d.uniform(0.17, 0.21);
        canalR = d.uniform(0.03, 0.04);
        canalY = vy + vr + canalR + 0.01;
        boneHu = d.uniform(550, 800);
        cancellousHu = d.uniform(180, 300);
        ax = d.uniform(0.05, 0.10);
        ar = d.uniform(0.045, 0.065);
        ay = vy - vr - ar * 0.6;
        sy = -(b - fat) + d.uniform(0.03, 0.045);
        sternumHu = d.uniform(250, 450);
        for (int side = -1; side <= 1; side += 2) {
            int n = d.between(3, 5);
            for (int i = 0; i < n; i++) {
                // Around the lateral and posterior wall, in the middle of the wall.
                double phi = Math.toRadians(d.uniform(-60, 80));
                double ra = a - fat - wall / 2;
                double rb = b - fat - wall / 2;
                double x = side * ra * Math.cos(phi);
                double y = rb * Math.sin(phi);
                double tangent = Math.atan2(rb * Math.cos(phi), -side * ra * Math.sin(phi));
                ribs.add(new double[] {x, y, Math.cos(tangent), Math.sin(tangent), d.uniform(400, 750)});
            }
        }
        tableTop = cy + b + d.uniform(0.02, 0.05);
        tableThickness = d.uniform(0.03, 0.045);
        tableCurve = d.uniform(0.03, 0.08);

        coarse = new Texture(d, 8);
        fine = new Texture(d, 22);
        textureHu = d.uniform(8, 28);

        double innerA = a - fat - wall;
        double innerB = b - fat - wall;
        for (int i = 0; i < 2; i++) {
            int side = i == 0 ? -1 : 1;
            lungs[i] = new Lung(side, side * innerA * d.uniform(0.48, 0.56), innerB * d.uniform(-0.05, 0.08),
                    innerA * d.uniform(0.44, 0.54), innerB * d.uniform(0.92, 1.08),
                    Math.toRadians(d.uniform(-8, 8)), d);
            lungs[i].baseHu = d.uniform(-890, -820);
            lungs[i].gradientHu = d.uniform(20, 140);
        }
        for (Lung lung : lungs) {
            lung.measure();
            lung.addVessels(d);
            if (d.chance(0.45)) {
                lung.atelectasisDepth = d.uniform(0.012, 0.035);
                lung.atelectasisHu = d.uniform(-700, -350);
            }
        }

        blurMm = d.uniform(0.8, 2.4);
        noiseHu = d.uniform(20, 90);
        gain = d.uniform(0.96, 1.04);
        offsetHu = d.uniform(-15, 15);

        switch (label) {
            case NORMAL -> {
            }
            case NODULE -> {
                double u = d.uniform(0, 1);
                int count = u < 0.6 ? 1 : u < 0.9 ? 2 : 3;
                for (int i = 0; i < count; i++) {
                    lungs[d.between(0, 1)].addNodule(d);
                }
            }
            case EFFUSION -> {
                double u = d.uniform(0, 1);
                if (u < 0.4 || u >= 0.8) {
                    lungs[0].addEffusion(d);
                }
                if (u >= 0.4) {
                    lungs[1].addEffusion(d);
                }
            }
        }
    }

    /** HU at a point of the scanner frame; sets {@link #lastSampleWasFinding}. */
    double sample(double x, double y) {
        lastSampleWasFinding = false;
        double dx = x - cx;
        double dy = y - cy;
        double xb = dx * cos + dy * sin;
        double yb = -dx * sin + dy * cos;
        if (superellipse(xb, yb, a, b) > 1) {
            return inTable(x, y) ? tableHu(x, y) : AIR;
        }
        Lung lung = lungAt(xb, yb);
        if (lung != null) {
            return lung.hu(xb, yb, x, y);
        }
        if (superellipse(xb, yb, a - fat, b - fat) > 1) {
            return fatHu;
        }
        if (ellipse(xb, yb, 0, sy, 0.06, 0.022, 1, 0) <= 1) {
            return sternumHu;
        }
        for (double[] rib : ribs) {
            if (ellipse(xb, yb, rib[0], rib[1], 0.028, 0.014, rib[2], rib[3]) <= 1) {
                return rib[4];
            }
        }
        double bone = spine(xb, yb);
        if (!Double.isNaN(bone)) {
            return bone;
        }
        if (sq(xb - ax) + sq(yb - ay) <= ar * ar) {
            return 40 + enhancementHu;
        }
        double heart = ellipse(xb, yb, hx, hy, ha, hb, hcos, hsin);
        if (heart <= 0.72) {
            return 40 + enhancementHu; // blood pool
        }
        if (heart <= 1) {
            return 45 + 0.25 * enhancementHu; // myocardium
        }
        if (heart <= 1.35 || (Math.abs(xb - mx) < mw && yb < vy)) {
            return mediastinumHu;
        }
        return softTissueHu;
    }

    /** Whether a point of the scanner frame lies in a lung (before any finding is painted). */
    boolean inLung(double x, double y) {
        double dx = x - cx;
        double dy = y - cy;
        return lungAt(dx * cos + dy * sin, -dx * sin + dy * cos) != null;
    }

    /** The lung containing a body-frame point, or null. Lungs stop at the wall and the mediastinum. */
    private Lung lungAt(double xb, double yb) {
        Lung lung = xb < mx ? lungs[0] : lungs[1];
        if (!lung.shape(xb, yb) || superellipse(xb, yb, a - fat - wall, b - fat - wall) > 1) {
            return null;
        }
        if (Math.abs(xb - mx) < mw && yb < vy) {
            return null;
        }
        if (ellipse(xb, yb, hx, hy, ha, hb, hcos, hsin) <= 1.35) {
            return null;
        }
        if (sq(xb) + sq(yb - vy) < sq(vr + 0.03) || (Math.abs(xb) < vr + 0.03 && yb > vy)) {
            return null;
        }
        if (sq(xb - ax) + sq(yb - ay) < sq(ar + 0.02)) {
            return null;
        }
        for (double[] rib : ribs) {
            if (ellipse(xb, yb, rib[0], rib[1], 0.04, 0.024, rib[2], rib[3]) <= 1) {
                return null;
            }
        }
        return lung;
    }

    private double spine(double xb, double yb) {
        double body = Math.sqrt(sq(xb) + sq(yb - vy));
        if (body <= vr) {
            return body >= vr - 0.014 ? boneHu : cancellousHu;
        }
        double canal = Math.sqrt(sq(xb) + sq(yb - canalY));
        if (canal <= canalR) {
            return 15; // spinal canal: CSF and cord
        }
        if (canal <= canalR + 0.022 && yb > canalY - canalR * 0.5) {
            return boneHu; // laminae
        }
        if (Math.abs(xb) < 0.015 && yb > canalY && yb < canalY + canalR + 0.08) {
            return boneHu; // spinous process
        }
        return Double.NaN;
    }

    private boolean inTable(double x, double y) {
        double top = tableTop - tableCurve * x * x;
        return Math.abs(x) < 0.92 && y >= top && y <= top + tableThickness;
    }

    /** Carbon-fibre skins around a foam core. */
    private double tableHu(double x, double y) {
        double top = tableTop - tableCurve * x * x;
        double depth = y - top;
        return depth < 0.008 || depth > tableThickness - 0.008 ? 250 : -300;
    }

    /** |x/a|^p + |y/b|^p for the body's superellipse exponent. */
    private double superellipse(double x, double y, double sa, double sb) {
        return Math.pow(Math.abs(x / sa), p) + Math.pow(Math.abs(y / sb), p);
    }

    /** (u/ea)² + (v/eb)² of the point in the ellipse's frame (centre, rotation cos/sin). */
    static double ellipse(double x, double y, double ecx, double ecy, double ea, double eb, double c, double s) {
        double dx = x - ecx;
        double dy = y - ecy;
        double u = dx * c + dy * s;
        double v = -dx * s + dy * c;
        return sq(u / ea) + sq(v / eb);
    }

    static double sq(double v) {
        return v * v;
    }

    /** Bilinearly interpolated Gaussian values on an n × n grid over the field of view. */
    private static final class Texture {
        private final int n;
        private final double[] grid;

        Texture(Draws d, int n) {
            this.n = n;
            grid = new double[(n + 1) * (n + 1)];
            for (int i = 0; i < grid.length; i++) {
                grid[i] = d.gaussian();
            }
        }

        double at(double x, double y) {
            double gx = Math.max(0, Math.min(n - 1e-9, (x + 1) / 2 * n));
            double gy = Math.max(0, Math.min(n - 1e-9, (y + 1) / 2 * n));
            int ix = (int) gx;
            int iy = (int) gy;
            double fx = gx - ix;
            double fy = gy - iy;
            int i = iy * (n + 1) + ix;
            double top = grid[i] * (1 - fx) + grid[i + 1] * fx;
            double bottom = grid[i + n + 1] * (1 - fx) + grid[i + n + 2] * fx;
            return top * (1 - fy) + bottom * fy;
        }
    }

    /** One lung: a perturbed ellipse, its parenchyma and vessels, and the findings inside it. */
    private final class Lung {
        private final int side;
        private final double lx;
        private final double ly;
        private final double lw;
        private final double lh;
        private final double lcos;
        private final double lsin;
        /** Radial harmonics 2, 3, 4 (amplitude, cos and sin of phase): the lung's individual shape. */
        private final double[] harmonics = new double[9];
        private double baseHu;
        private double gradientHu;
        private double atelectasisDepth;
        private double atelectasisHu;
        // Extent measured on the final shape (after the wall and mediastinum clip it).
        private double minX;
        private double maxX;
        private double minY;
        private double maxY;
        /** Vessels as capsules: x1, y1, x2, y2, radius, hu. */
        private final List<double[]> vessels = new ArrayList<>();
        /** Nodules: x, y, radius, hu, lobulation amplitude, cos and sin of its phase. */
        private final List<double[]> nodules = new ArrayList<>();
        private boolean effusion;
        private double fluidLevel;
        private double fluidCurve;
        private double fluidX;
        private double fluidHu;
        private double compressionDepth;
        private double compressionHu;

        Lung(int side, double lx, double ly, double lw, double lh, double angle, Draws d) {
            this.side = side;
            this.lx = lx;
            this.ly = ly;
            this.lw = lw;
            this.lh = lh;
            lcos = Math.cos(angle);
            lsin = Math.sin(angle);
            for (int k = 0; k < 3; k++) {
                double phase = d.uniform(0, 2 * Math.PI);
                harmonics[3 * k] = d.uniform(-0.06, 0.06);
                harmonics[3 * k + 1] = Math.cos(phase);
                harmonics[3 * k + 2] = Math.sin(phase);
            }
        }

        /** The perturbed ellipse alone; {@link ChestAnatomy#lungAt} adds the clipping. */
        boolean shape(double xb, double yb) {
            double dx = xb - lx;
            double dy = yb - ly;
            double u = (dx * lcos + dy * lsin) / lw;
            double v = (-dx * lsin + dy * lcos) / lh;
            double rho = Math.sqrt(u * u + v * v);
            if (rho < 0.75) {
                return true;
            }
            if (rho > 1.25) {
                return false;
            }
            // cos(kθ + φ) from cos θ and sin θ by the multiple-angle formulas: no atan2 per sample.
            double c = u / rho;
            double s = v / rho;
            double c2 = 2 * c * c - 1;
            double s2 = 2 * s * c;
            double c3 = c * (4 * c * c - 3);
            double s3 = s * (3 - 4 * s * s);
            double c4 = 2 * c2 * c2 - 1;
            double s4 = 2 * s2 * c2;
            double limit = 1
                    + harmonics[0] * (c2 * harmonics[1] - s2 * harmonics[2])
                    + harmonics[3] * (c3 * harmonics[4] - s3 * harmonics[5])
                    + harmonics[6] * (c4 * harmonics[7] - s4 * harmonics[8]);
            return rho <= limit;
        }

        private boolean contains(double xb, double yb) {
            return lungAt(xb, yb) == this;
        }

        /** Finds the extent of the clipped shape on a fine grid. */
        void measure() {
            minX = minY = Double.POSITIVE_INFINITY;
            maxX = maxY = Double.NEGATIVE_INFINITY;
            double step = 0.005;
            for (double y = ly - 1.3 * lh; y <= ly + 1.3 * lh; y += step) {
                for (double x = lx - 1.3 * lw; x <= lx + 1.3 * lw; x += step) {
                    if (contains(x, y)) {
                        minX = Math.min(minX, x);
                        maxX = Math.max(maxX, x);
                        minY = Math.min(minY, y);
                        maxY = Math.max(maxY, y);
                    }
                }
            }
            if (minX > maxX) {
                throw new IllegalStateException("degenerate lung"); // cannot happen with the drawn ranges
            }
        }

        /** A point drawn uniformly in the lung, or null after many misses. */
        private double[] pointInside(Draws d) {
            for (int i = 0; i < 1000; i++) {
                double x = d.uniform(minX, maxX);
                double y = d.uniform(minY, maxY);
                if (contains(x, y)) {
                    return new double[] {x, y};
                }
            }
            return null;
        }

        void addVessels(Draws d) {
            // The hilum: medial, a little anterior of the lung's centre. Vessels fan out from it,
            // thick near it and thin at the periphery, as pulmonary arteries and veins do.
            double hilumX = side < 0 ? maxX - 0.03 : minX + 0.03;
            double hilumY = (minY + maxY) / 2 - 0.05 * (maxY - minY);
            double reach = Math.max(maxX - minX, maxY - minY);
            for (int i = 0; i < 2; i++) {
                double r = d.uniform(0.022, 0.038);
                double x = hilumX - side * d.uniform(0.01, 0.06);
                double y = hilumY + d.uniform(-0.08, 0.08);
                double len = d.uniform(0, 0.06);
                double ang = d.uniform(0, Math.PI);
                vessels.add(new double[] {x, y, x + len * Math.cos(ang), y + len * Math.sin(ang), r,
                        d.uniform(20, 50) + 0.8 * enhancementHu});
            }
            int n = d.between(10, 22);
            for (int i = 0; i < n; i++) {
                double[] pt = pointInside(d);
                if (pt == null) {
                    continue;
                }
                double dx = pt[0] - hilumX;
                double dy = pt[1] - hilumY;
                double dist = Math.sqrt(dx * dx + dy * dy);
                double q = Math.min(1, dist / reach);
                double r = (0.004 + 0.013 * (1 - q)) * d.uniform(0.7, 1.3);
                double hu = d.uniform(10, 50) + 0.6 * enhancementHu;
                if (d.chance(0.45) && dist > 1e-6) {
                    // Running in plane: a short segment pointing away from the hilum.
                    double len = d.uniform(0.02, 0.07) * (1 - 0.5 * q);
                    double ux = dx / dist * len / 2;
                    double uy = dy / dist * len / 2;
                    vessels.add(new double[] {pt[0] - ux, pt[1] - uy, pt[0] + ux, pt[1] + uy, r, hu});
                } else {
                    vessels.add(new double[] {pt[0], pt[1], pt[0], pt[1], r, hu});
                }
            }
        }

        void addNodule(Draws d) {
            // Mostly small: the median diameter is about 13 mm, about two pixels at 64 × 64.
            double radiusMm = 3 + 9.5 * Math.pow(d.uniform(0, 1), 1.5);
            double r = radiusMm / MM_PER_UNIT;
            boolean solid = d.chance(0.6);
            double hu = solid ? d.uniform(-100, 60) : d.uniform(-600, -300);
            boolean juxtapleural = d.chance(0.2);
            double lobulation = d.uniform(0, 0.18);
            double phase = d.uniform(0, 2 * Math.PI);
            double[] centre = null;
            for (int attempt = 0; attempt < 200 && centre == null; attempt++) {
                double[] pt = pointInside(d);
                if (pt != null && (juxtapleural || ringInside(pt[0], pt[1], r * 1.1))) {
                    centre = pt;
                }
            }
            if (centre == null) {
                centre = new double[] {(minX + maxX) / 2, (minY + maxY) / 2};
            }
            nodules.add(new double[] {centre[0], centre[1], r, hu, lobulation, Math.cos(phase), Math.sin(phase)});
        }

        private boolean ringInside(double x, double y, double r) {
            for (int k = 0; k < 8; k++) {
                double t = k * Math.PI / 4;
                if (!contains(x + r * Math.cos(t), y + r * Math.sin(t))) {
                    return false;
                }
            }
            return true;
        }

        void addEffusion(Draws d) {
            effusion = true;
            double height = maxY - minY;
            // Depth as a fraction of the lung's height, skewed to small (a few millimetres).
            double fraction = 0.03 + 0.40 * Math.pow(d.uniform(0, 1), 2.2);
            fluidLevel = maxY - fraction * height;
            // Supine fluid lies as a crescent: thickest paravertebrally, thinning laterally.
            fluidX = side < 0 ? maxX - 0.25 * (maxX - minX) : minX + 0.25 * (maxX - minX);
            fluidCurve = d.uniform(0, 1.2) * fraction * height;
            fluidHu = d.uniform(0, 25);
            compressionDepth = d.uniform(0, 0.03);
            compressionHu = d.uniform(-650, -350);
        }

        /** HU at a body-frame point known to be in this lung (x, y: the same point, scanner frame). */
        double hu(double xb, double yb, double x, double y) {
            if (effusion) {
                double level = fluidLevel + fluidCurve * sq((xb - fluidX) / lw);
                if (yb >= level) {
                    lastSampleWasFinding = true;
                    return fluidHu;
                }
            }
            for (double[] n : nodules) {
                double dx = xb - n[0];
                double dy = yb - n[1];
                double dist = Math.sqrt(dx * dx + dy * dy);
                double limit = n[2];
                if (dist > 0 && n[4] > 0) {
                    double c = dx / dist;
                    double s = dy / dist;
                    double c3 = c * (4 * c * c - 3);
                    double s3 = s * (3 - 4 * s * s);
                    limit *= 1 + n[4] * (c3 * n[5] - s3 * n[6]);
                }
                if (dist <= limit) {
                    lastSampleWasFinding = true;
                    return n[3];
                }
            }
            if (effusion && yb >= fluidLevel + fluidCurve * sq((xb - fluidX) / lw) - compressionDepth) {
                return compressionHu; // lung compressed by the fluid
            }
            for (double[] v : vessels) {
                if (capsule2(xb, yb, v) <= v[4] * v[4]) {
                    return v[5];
                }
            }
            if (atelectasisDepth > 0 && !contains(xb, yb + atelectasisDepth)) {
                return atelectasisHu; // dependent density along the posterior pleura
            }
            double t = Math.max(0, Math.min(1, (yb - minY) / (maxY - minY)));
            return baseHu + gradientHu * t * t + textureHu * (coarse.at(x, y) + 0.6 * fine.at(x, y));
        }

        /** Squared distance from a point to the capsule's axis segment. */
        private static double capsule2(double x, double y, double[] v) {
            double ex = v[2] - v[0];
            double ey = v[3] - v[1];
            double len2 = ex * ex + ey * ey;
            double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((x - v[0]) * ex + (y - v[1]) * ey) / len2));
            return sq(x - v[0] - t * ex) + sq(y - v[1] - t * ey);
        }
    }
}
