package io.medssl.models;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** How MedSSL runs DJL: never downloading at run time, on the device the configuration names. */
public final class DjlRuntime {
    private DjlRuntime() {
    }

    /**
     * Call before the first DJL use. Offline keeps DJL from probing the network (the PyTorch
     * natives come from the bundled jar, or a pre-filled cache on GPU nodes).
     */
    public static void configure(boolean offline, int threads) {
        if (offline) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (threads > 0 && System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        }
    }

    /**
     * {@code auto} (first GPU if the engine sees one, else CPU), {@code cpu}, {@code gpu} or
     * {@code gpu:N}.
     */
    public static Device device(String spec) {
        String s = spec == null ? "auto" : spec.trim().toLowerCase();
        if (s.equals("cpu")) {
            return Device.cpu();
        }
        int gpus = Engine.getInstance().getGpuCount();
        if (s.equals("auto")) {
            return gpus > 0 ? Device.gpu() : Device.cpu();
        }
        if (s.startsWith("gpu")) {
            int index = s.contains(":") ? Integer.parseInt(s.substring(s.indexOf(':') + 1)) : 0;
            if (index >= gpus) {
                throw new IllegalArgumentException("device " + spec + " requested but the engine sees " + gpus + " GPU(s)");
            }
            return Device.gpu(index);
        }
        throw new IllegalArgumentException("unknown device '" + spec + "': use auto, cpu, gpu or gpu:N");
    }
}
