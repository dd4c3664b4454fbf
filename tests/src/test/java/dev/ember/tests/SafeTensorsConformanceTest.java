package dev.ember.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ember.DType;
import dev.ember.DTypeException;
import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.io.SafeTensors;
import dev.ember.io.SafeTensorsFile;
import dev.ember.io.SafeTensorsHeader;
import dev.ember.nn.Linear;
import dev.ember.nn.ModelFiles;
import dev.ember.nn.Module;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model files between PyTorch and Ember, both ways. The fixtures in {@code fixtures/safetensors/} were written from
 * PyTorch tensors by {@code tests/src/test/python/generate_safetensors_fixtures.py} (which documents them):
 * Ember must load them with exactly PyTorch's values, run PyTorch's MLP weights to PyTorch's outputs, and write
 * them back byte for byte. In the other direction, {@code ember_written.safetensors} is what Ember writes for
 * {@link #emberWrittenContent()}; this test checks that Ember still writes exactly those bytes, and the Python
 * script (run by hand, with PyTorch) checks that PyTorch reads them as Ember meant.
 */
class SafeTensorsConformanceTest {
    static final String DIR = "/fixtures/safetensors/";
    static final Map<String, String> EMBER_METADATA = Map.of("format", "pt", "written_by", "Ember ünï");

    @TempDir
    Path tmp;

    static Path fixture(String name) {
        URL url = SafeTensorsConformanceTest.class.getResource(DIR + name);
        assertTrue(url != null, "missing fixture " + DIR + name
                + ": run tests/src/test/python/generate_safetensors_fixtures.py");
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode expected(String file) throws IOException {
        JsonMapper mapper = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
        try (InputStream in = SafeTensorsConformanceTest.class.getResourceAsStream(DIR + "expected.json")) {
            return mapper.readTree(in).get(file);
        }
    }

    static Map<String, String> metadata(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    static int[] shape(JsonNode node) {
        int[] s = new int[node.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = node.get(i).asInt();
        }
        return s;
    }

    /** The tensor has the fixture's dtype, shape and values, bit for bit. */
    static void assertTensor(JsonNode e, Tensor t) {
        String name = e.get("name").asText();
        DType dtype = switch (e.get("dtype").asText()) {
            case "F32" -> DType.FLOAT32;
            case "F64" -> DType.FLOAT64;
            case "I64" -> DType.INT64;
            case "BOOL" -> DType.BOOL;
            default -> throw new AssertionError(e.get("dtype"));
        };
        assertEquals(dtype, t.dtype(), name);
        assertArrayEquals(shape(e.get("shape")), t.shape(), name);
        JsonNode v = e.get("values");
        assertEquals(v.size(), t.numel(), name);
        switch (dtype) {
            case FLOAT32 -> {
                float[] a = t.toFloatArray();
                for (int i = 0; i < a.length; i++) {
                    assertEquals(Float.floatToIntBits((float) v.get(i).asDouble()), Float.floatToIntBits(a[i]),
                            name + "[" + i + "]");
                }
            }
            case FLOAT64 -> {
                double[] a = t.toDoubleArray();
                for (int i = 0; i < a.length; i++) {
                    assertEquals(Double.doubleToLongBits(v.get(i).asDouble()), Double.doubleToLongBits(a[i]),
                            name + "[" + i + "]");
                }
            }
            case INT64 -> {
                long[] a = t.toLongArray();
                for (int i = 0; i < a.length; i++) {
                    assertTrue(v.get(i).canConvertToLong());
                    assertEquals(v.get(i).asLong(), a[i], name + "[" + i + "]");
                }
            }
            case BOOL -> {
                long[] a = t.toLongArray();
                for (int i = 0; i < a.length; i++) {
                    assertEquals(v.get(i).asBoolean() ? 1L : 0L, a[i], name + "[" + i + "]");
                }
            }
        }
    }

    static void assertFileMatches(String file, SafeTensorsFile f) throws IOException {
        JsonNode e = expected(file);
        assertEquals(metadata(e.get("metadata")), f.metadata());
        List<String> names = new ArrayList<>();
        e.get("tensors").forEach(t -> names.add(t.get("name").asText()));
        assertEquals(names, List.copyOf(f.tensors().keySet()), "header order");
        for (JsonNode t : e.get("tensors")) {
            assertTensor(t, f.tensors().get(t.get("name").asText()));
        }
    }

    @Test
    void loadsEveryDTypeThatPyTorchWroteWithItsExactValues() throws IOException {
        SafeTensorsFile f = SafeTensors.read(fixture("pytorch_dtypes.safetensors"));
        assertFileMatches("pytorch_dtypes.safetensors", f);
        float[] specials = f.tensors().get("specials").toFloatArray();
        assertTrue(Float.isNaN(specials[0]) && specials[1] == Float.POSITIVE_INFINITY
                && specials[2] == Float.NEGATIVE_INFINITY && Float.floatToIntBits(specials[3]) == 0x80000000
                && specials[4] == Float.MIN_VALUE && specials[5] == Float.MAX_VALUE);
        assertEquals(-(1L << 62) - 7, f.tensors().get("index").toLongArray()[3]);
        assertEquals(0, f.tensors().get("scalar").dim());
        assertEquals(List.of(0.0, 1.0, 2.0),
                java.util.Arrays.stream(f.tensors().get("ünï.name 🔥").toDoubleArray()).boxed().toList());
    }

    /** PyTorch's nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 3)), with PyTorch's state-dict names. */
    static final class Mlp extends Module {
        final Linear first = registerModule("0", new Linear(4, 8));
        final Linear last = registerModule("2", new Linear(8, 3));

        @Override
        public Tensor forward(Tensor x) {
            return last.forward(first.forward(x).tanh());
        }
    }

    @Test
    void pyTorchsMlpWeightsGivePyTorchsOutputsInEmber() throws IOException {
        Path p = fixture("pytorch_mlp.safetensors");
        assertFileMatches("pytorch_mlp.safetensors", SafeTensors.read(p));
        Mlp mlp = new Mlp();
        ModelFiles.load(mlp, p);
        JsonNode e = expected("pytorch_mlp.safetensors");
        double[] x = new double[e.get("input").get("values").size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = e.get("input").get("values").get(i).asDouble();
        }
        Tensor y = mlp.forward(Ember.fromArray(x, shape(e.get("input").get("shape"))).to(DType.FLOAT32));
        assertArrayEquals(shape(e.get("output").get("shape")), y.shape());
        double[] got = y.toDoubleArray();
        for (int i = 0; i < got.length; i++) {
            double want = e.get("output").get("values").get(i).asDouble();
            assertEquals(want, got[i], 1e-6 + 1e-6 * Math.abs(want), "output[" + i + "]");
        }
    }

    @Test
    void reSavingAPyTorchFileWritesItBackByteForByte() throws IOException {
        for (String name : List.of("pytorch_dtypes.safetensors", "pytorch_mlp.safetensors")) {
            Path p = fixture(name);
            SafeTensorsFile f = SafeTensors.read(p);
            Path copy = tmp.resolve(name);
            SafeTensors.save(f.tensors(), copy, f.metadata());
            assertArrayEquals(Files.readAllBytes(p), Files.readAllBytes(copy), name);
        }
    }

    @Test
    void aFloat16FileIsInspectableButNotLoadable() throws IOException {
        Path p = fixture("pytorch_f16.safetensors");
        SafeTensorsHeader h = SafeTensors.readHeader(p);
        List<String> names = new ArrayList<>();
        expected("pytorch_f16.safetensors").get("header_order").forEach(n -> names.add(n.asText()));
        assertEquals(names, h.entries().stream().map(SafeTensorsHeader.Entry::name).toList());
        assertEquals("F16", h.entries().stream().filter(e -> e.name().equals("half")).findFirst().orElseThrow()
                .dtype());
        DTypeException e = assertThrows(DTypeException.class, () -> SafeTensors.load(p));
        assertTrue(e.getMessage().startsWith("safetensors file " + p + ": tensor \"half\" has dtype F16, which Ember "
                + "cannot hold; Ember reads F32, F64, I64 and BOOL tensors."), e.getMessage());
    }

    /** What ember_written.safetensors holds; generate_safetensors_fixtures.py checks the same values. */
    static Map<String, Tensor> emberWrittenContent() {
        Ember.manualSeed(42);
        Linear linear = new Linear(3, 2);
        Map<String, Tensor> m = new LinkedHashMap<>();
        linear.stateDict().forEach((k, v) -> m.put("linear." + k, v));
        m.put("ints", Ember.arange(6).view(2, 3).t());
        m.put("doubles", Ember.fromArray(new double[] {0.1, -2.5, 1e-300, Double.MAX_VALUE}, 2, 2));
        m.put("mask", Ember.fromArray(new boolean[] {true, false, false, true}, 4));
        m.put("step", Ember.scalar(DType.FLOAT32, 3));
        m.put("empty", Ember.zeros(0, 2));
        return m;
    }

    @Test
    void emberWritesExactlyTheFileThatPyTorchWasCheckedToRead() throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("written_by", EMBER_METADATA.get("written_by"));
        Path written = tmp.resolve("ember_written.safetensors");
        SafeTensors.save(emberWrittenContent(), written, meta);
        byte[] bytes = Files.readAllBytes(written);
        assertArrayEquals(bytes, SafeTensors.serialize(emberWrittenContent(), meta), "save and serialize agree");
        if (Boolean.getBoolean("ember.regenerateFixtures")) {
            Path source = Path.of("src/test/resources" + DIR + "ember_written.safetensors");
            Files.write(source, bytes);
            System.out.println("wrote " + source.toAbsolutePath() + ": now run generate_safetensors_fixtures.py "
                    + "--check-only");
            return;
        }
        assertArrayEquals(Files.readAllBytes(fixture("ember_written.safetensors")), bytes,
                "Ember's writer changed: if on purpose, regenerate ember_written.safetensors (see "
                        + "generate_safetensors_fixtures.py) and check it with PyTorch");
        assertEquals(EMBER_METADATA, SafeTensors.read(written).metadata());
    }
}
