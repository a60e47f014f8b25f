package io.medssl.phantom;

import java.util.Locale;

/** The diagnostic classes a phantom study is labelled with; {@link #label()} is the CSV value. */
public enum PhantomClass {
    /** No finding: anatomy, vessels, dependent density and noise only. */
    NORMAL,
    /** One to three small round lesions, solid or sub-solid, inside a lung. */
    NODULE,
    /** Fluid layering in the dependent (posterior) part of one or both pleural spaces. */
    EFFUSION;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PhantomClass fromLabel(String label) {
        for (PhantomClass c : values()) {
            if (c.label().equals(label)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown phantom class '" + label + "'");
    }
}
