package io.medssl.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

/** Runs a command-line tool (dcmtk's dciodvfy, dcmdump, dsrdump…) and fails the test unless it succeeds. */
final class Commands {
    private Commands() {
    }

    /** The tool's output (stdout and stderr); it must finish within 30 s with exit status 0. */
    static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
