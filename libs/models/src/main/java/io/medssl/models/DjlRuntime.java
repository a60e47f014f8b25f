package io.medssl.models;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.ArrayList;
import java.util.List;

/** How MedSSL runs DJL: never downloading at run time, on the devices the configuration names. */
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
        return devices(spec, false)[0];
    }

    /**
     * Devices for training: {@code auto} (every GPU the engine sees, else the CPU), {@code cpu},
     * {@code gpu} (the first), or {@code gpu:0,1,…}. Asking for a GPU the engine does not see is
     * an error, not a silent fall-back to the CPU.
     */
    public static Device[] devices(String spec) {
        return devices(spec, true);
    }

    private static Device[] devices(String spec, boolean all) {
        String s = spec == null ? "auto" : spec.trim().toLowerCase();
        if (s.equals("cpu")) {
            return new Device[] {Device.cpu()};
        }
        int gpus = Engine.getInstance().getGpuCount();
        if (s.equals("auto")) {
            if (gpus == 0) {
                return new Device[] {Device.cpu()};
            }
            List<Device> found = new ArrayList<>();
            for (int i = 0; i < (all ? gpus : 1); i++) {
                found.add(Device.gpu(i));
            }
            return found.toArray(Device[]::new);
        }
        if (s.startsWith("gpu")) {
            String list = s.contains(":") ? s.substring(s.indexOf(':') + 1) : "0";
            List<Device> found = new ArrayList<>();
            for (String part : list.split(",")) {
                int index = Integer.parseInt(part.trim());
                if (index >= gpus) {
                    throw new IllegalArgumentException("device " + spec + " requested but the engine sees " + gpus + " GPU(s)");
                }
                found.add(Device.gpu(index));
            }
            return found.toArray(Device[]::new);
        }
        throw new IllegalArgumentException("unknown device '" + spec + "': use auto, cpu, gpu or gpu:N[,M…]");
    }
}
