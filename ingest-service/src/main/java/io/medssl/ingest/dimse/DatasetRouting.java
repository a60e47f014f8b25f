package io.medssl.ingest.dimse;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which dataset an object received over DIMSE belongs to: by the called AE title it was sent to
 * (a destination the sender picked on purpose), else by the sender's calling AE title (Kaapana
 * style), else the default dataset.
 */
public record DatasetRouting(Map<String, String> byCalledAe, Map<String, String> byCallingAe, String defaultDataset) {
    /**
     * What a dataset name may be: it travels in every event, names the folder its shards are
     * written to and fills a 128-character database column, so a name that does not fit would
     * make every object routed to it fail after it was accepted.
     */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    public DatasetRouting {
        byCalledAe = Map.copyOf(byCalledAe);
        byCallingAe = Map.copyOf(byCallingAe);
        for (var e : byCalledAe.entrySet()) {
            requireName(e.getValue(), "called AE " + e.getKey());
        }
        for (var e : byCallingAe.entrySet()) {
            requireName(e.getValue(), "calling AE " + e.getKey());
        }
        requireName(defaultDataset, "the default dataset");
    }

    public String datasetFor(String callingAeTitle, String calledAeTitle) {
        String dataset = byCalledAe.get(calledAeTitle);
        if (dataset == null) {
            dataset = byCallingAe.get(callingAeTitle);
        }
        return dataset != null ? dataset : defaultDataset;
    }

    private static void requireName(String dataset, String what) {
        if (dataset == null || dataset.isBlank()) {
            throw new IllegalArgumentException("no dataset name for " + what);
        }
        if (!NAME.matcher(dataset).matches()) {
            throw new IllegalArgumentException("the dataset name for " + what + " must be 1 to 128 letters, digits, '.', '_' or '-'"
                    + " (starting with a letter or digit), not '" + dataset + "'");
        }
    }
}
