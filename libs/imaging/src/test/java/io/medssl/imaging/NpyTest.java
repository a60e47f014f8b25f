package io.medssl.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NpyTest {

    @Test
    void float32RoundTripWithNumpyHeader() throws IOException {
        var out = new ByteArrayOutputStream();
        float[] values = {0f, 0.25f, 0.5f, 1f, -2f, 3.5f};
        Npy.writeFloat32(out, values, 1, 2, 3);
        byte[] bytes = out.toByteArray();
        String header = new String(bytes, 10, 70, StandardCharsets.US_ASCII);
        assertThat(header).startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 3), }");
        assertThat((bytes.length - values.length * 4) % 64).as("data starts 64-byte aligned").isZero();
        Npy.Array array = Npy.read(new ByteArrayInputStream(bytes));
        assertThat(array.shape()).containsExactly(1, 2, 3);
        assertThat(array.asFloats()).containsExactly(values);
    }

    @Test
    void aLargeArrayIsWrittenWhole() throws IOException {
        // More values than one write chunk holds, and not a multiple of it.
        float[] values = new float[3 * 256 * 257];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.5f;
        }
        var out = new ByteArrayOutputStream();
        Npy.writeFloat32(out, values, 3, 256, 257);
        Npy.Array array = Npy.read(new ByteArrayInputStream(out.toByteArray()));
        assertThat(array.shape()).containsExactly(3, 256, 257);
        assertThat(array.asFloats()).containsExactly(values);
    }

    @Test
    void oneDimensionalShapeUsesPythonTupleSyntax() throws IOException {
        var out = new ByteArrayOutputStream();
        Npy.writeInt64(out, new long[] {3, 1, 2}, 3);
        assertThat(out.toString(StandardCharsets.US_ASCII)).contains("'shape': (3,)");
        Npy.Array array = Npy.read(new ByteArrayInputStream(out.toByteArray()));
        assertThat(array.asLongs()).containsExactly(3, 1, 2);
    }

    @Test
    void truncatedOrForeignInputIsAClearError() throws IOException {
        var out = new ByteArrayOutputStream();
        Npy.writeFloat32(out, new float[16], 4, 4);
        byte[] truncated = Arrays.copyOf(out.toByteArray(), out.size() - 5);
        assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream(truncated))).hasMessageContaining("truncated");
        assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream("PK\3\4 not npy".getBytes(StandardCharsets.US_ASCII))))
                .hasMessageContaining("bad magic");
        assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream(out.toByteArray())).asLongs())
                .hasMessageContaining("expected dtype <i8");
    }

    @Test
    void npzHoldsNamedArrays() throws IOException {
        var out = new ByteArrayOutputStream();
        try (var npz = new Npz.Writer(out)) {
            npz.putFloat32("x", new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
            npz.putInt64("y", new long[] {2}, 1);
        }
        var arrays = Npz.read(new ByteArrayInputStream(out.toByteArray()));
        assertThat(arrays).containsOnlyKeys("x", "y");
        assertThat(arrays.get("x").shape()).containsExactly(1, 1, 2, 2);
        assertThat(arrays.get("y").asLongs()).containsExactly(2);
    }

    @Test
    void pixelArrayRoundTripsAsUint16WithinHalfAStepAndSplitsFrames() throws IOException {
        float[] data = new float[2 * 2 * 3];
        for (int i = 0; i < data.length; i++) {
            data[i] = i / 11f;
        }
        data[4] = 1.5f; // out of range: clamped
        data[5] = Float.NaN;
        var out = new ByteArrayOutputStream();
        new PixelArray(2, 2, 3, data).writeNpy(out);
        byte[] bytes = out.toByteArray();
        assertThat(bytes).hasSize(128 + data.length * 2);
        assertThat(new String(bytes, 10, 70, StandardCharsets.ISO_8859_1))
                .startsWith("{'descr': '<u2', 'fortran_order': False, 'shape': (2, 2, 3), }");
        Npy.Array raw = Npy.read(new ByteArrayInputStream(bytes));
        assertThat((int) raw.asUint16()[11]).isEqualTo(65_535);
        assertThat((int) raw.asUint16()[3]).isEqualTo(Math.round(3 / 11f * 65_535));
        PixelArray back = PixelArray.readNpy(new ByteArrayInputStream(bytes));
        assertThat(back.frames()).isEqualTo(2);
        float[] expected = data.clone();
        expected[4] = 1f;
        expected[5] = 0f;
        float[] secondFrame = back.frame(1).pixels();
        for (int i = 0; i < 6; i++) {
            assertThat(secondFrame[i]).isCloseTo(expected[6 + i], org.assertj.core.data.Offset.offset(0.5f / 65_535 + 1e-7f));
        }
        assertThat(back.frame(0).pixels()[4]).isEqualTo(1f);
        assertThat(back.frame(0).pixels()[5]).isEqualTo(0f);
    }

    @Test
    void everyUint16StepSurvivesAWriteAndReadExactly() throws IOException {
        float[] steps = new float[65_536];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = i / 65_535f;
        }
        var out = new ByteArrayOutputStream();
        new PixelArray(1, 256, 256, steps).writeNpy(out);
        var once = PixelArray.readNpy(new ByteArrayInputStream(out.toByteArray()));
        assertThat(once.data()).containsExactly(steps);
    }

    @Test
    void pixelArraysStoredAsFloat32ReadAsTheyAre() throws IOException {
        float[] data = {0f, 0.123456f, 0.5f, 1f};
        var out = new ByteArrayOutputStream();
        Npy.writeFloat32(out, data, 1, 2, 2);
        assertThat(PixelArray.readNpy(new ByteArrayInputStream(out.toByteArray())).data()).containsExactly(data);
        var int64 = new ByteArrayOutputStream();
        Npy.writeInt64(int64, new long[4], 1, 2, 2);
        assertThatThrownBy(() -> PixelArray.readNpy(new ByteArrayInputStream(int64.toByteArray())))
                .isInstanceOf(IOException.class).hasMessageContaining("uint16 or float32");
    }
}
