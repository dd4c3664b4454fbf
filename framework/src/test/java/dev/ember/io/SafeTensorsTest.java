package dev.ember.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ember.DType;
import dev.ember.DTypeException;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path dir;

    /** One tensor of every dtype, a 0-d and an empty one, a non-contiguous view, names that need escaping. */
    static Map<String, Tensor> sample() {
        Ember.manualSeed(3);
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("fc1.weight", Ember.randn(2, 3));
        m.put("flags", Ember.fromArray(new boolean[] {true, false, true, true, false}, 5));
        m.put("doubles", Ember.fromArray(new double[] {0.1, -2.5e-300, Double.MAX_VALUE, Double.NaN,
            Double.NEGATIVE_INFINITY, -0.0}, 2, 3));
        m.put("counts", Ember.fromArray(new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}, 2, 2));
        m.put("scalar", Ember.scalar(7.5));
        m.put("empty", Ember.zeros(0, 3));
        m.put("transposed", Ember.arange(6).view(2, 3).t());
        m.put("ünïcode \"name\" 🔥\n", Ember.tensor(1, 2));
        return m;
    }

    static void assertSameTensors(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()), "names in order");
        for (String k : expected.keySet()) {
            Tensor e = expected.get(k);
            Tensor a = actual.get(k);
            assertEquals(e.dtype(), a.dtype(), k);
            assertArrayEquals(e.shape(), a.shape(), k);
            assertTrue(a.isContiguous(), k);
            switch (e.dtype()) {
                case FLOAT32 -> {
                    float[] ev = e.toFloatArray();
                    float[] av = a.toFloatArray();
                    for (int i = 0; i < ev.length; i++) {
                        assertEquals(Float.floatToRawIntBits(ev[i]), Float.floatToRawIntBits(av[i]), k);
                    }
                }
                case FLOAT64 -> {
                    double[] ev = e.toDoubleArray();
                    double[] av = a.toDoubleArray();
                    for (int i = 0; i < ev.length; i++) {
                        assertEquals(Double.doubleToRawLongBits(ev[i]), Double.doubleToRawLongBits(av[i]), k);
                    }
                }
                default -> assertArrayEquals(e.toLongArray(), a.toLongArray(), k);
            }
        }
    }

    /** A file made by hand: the 8-byte length, the header text as given, then the data. */
    static byte[] raw(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).put(data).array();
    }

    static byte[] raw(String header, int dataBytes) {
        return raw(header, new byte[dataBytes]);
    }

    static EmberException rejects(byte[] file, String... fragments) {
        EmberException e = assertThrows(EmberException.class, () -> SafeTensors.deserialize(file));
        assertTrue(e.getMessage().startsWith("safetensors bytes: "), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message lacks \"" + f + "\": " + e.getMessage());
        }
        return e;
    }

    // ---- round trips ------------------------------------------------------------------------------------------

    @Test
    void savesAndLoadsEveryDTypeWithNamesOrderValuesAndMetadata() {
        Map<String, Tensor> m = sample();
        Path p = dir.resolve("sample.safetensors");
        SafeTensors.save(m, p, Map.of("format", "pt", "note", "ünï\n\"q\""));
        SafeTensorsFile f = SafeTensors.read(p);
        assertSameTensors(m, f.tensors());
        assertEquals(Map.of("format", "pt", "note", "ünï\n\"q\""), f.metadata());
        assertSameTensors(m, SafeTensors.load(p));
        assertSameTensors(m, SafeTensors.deserialize(SafeTensors.serialize(m, Map.of())).tensors());
        assertEquals(List.of(0L, 3L, 1L, 4L, 2L, 5L), box(SafeTensors.load(p).get("transposed").toLongArray()),
                "a view is written row-major as it reads, not as its storage lies");
    }

    @Test
    void loadedTensorsAreFreshLeavesThatOwnTheirData() {
        Tensor w = Ember.randn(3).requiresGrad_();
        Tensor y = w.mul(2);
        Path p = dir.resolve("g.safetensors");
        SafeTensors.save(Map.of("w", w, "y", y), p);
        Map<String, Tensor> back = SafeTensors.load(p);
        assertTrue(back.get("y").isLeaf() && !back.get("y").requiresGrad() && !back.get("w").requiresGrad());
        back.put("extra", Ember.zeros(1));   // the map is the caller's
        back.get("w").add_(1.0);
        assertArrayEquals(w.add(1.0).toFloatArray(), back.get("w").toFloatArray());
    }

    @Test
    void writesTheReferenceImplementationsBytes() {
        // the byte-exact expectations of the reference implementation's own serialization tests
        float[] values = {0, 1, 2, 3, 4, 5};
        byte[] data = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).put(floatBytes(values)).array();
        assertArrayEquals(raw("{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}", data),
                SafeTensors.serialize(Map.of("attn.0", Ember.fromArray(values, 1, 2, 3)), Map.of()));
        assertArrayEquals(raw("{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}       ",
                data), SafeTensors.serialize(Map.of("attn0", Ember.fromArray(values, 1, 1, 2, 3)), Map.of()));
        assertArrayEquals(raw("{}      ", 0), SafeTensors.serialize(Map.of(), Map.of()));
        assertArrayEquals(raw("{\"__metadata__\":{\"framework\":\"pt\"}}     ", 0),
                SafeTensors.serialize(Map.of(), Map.of("framework", "pt")));
    }

    private static byte[] floatBytes(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    @Test
    void headerIsPaddedAndEveryTensorAlignedToItsElementSize() {
        Map<String, Tensor> m = sample();
        byte[] bytes = SafeTensors.serialize(m, Map.of("k", "v"));
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(0, n % 8);
        SafeTensorsHeader h = SafeTensors.deserializeHeader(bytes);
        assertEquals(List.copyOf(m.keySet()), h.entries().stream().map(SafeTensorsHeader.Entry::name).toList());
        for (SafeTensorsHeader.Entry e : h.entries()) {
            int size = e.dtype().equals("BOOL") ? 1 : e.emberDType().orElseThrow().byteSize();
            assertEquals(0, (8 + n + e.begin()) % size, e.name() + " is aligned");
        }
        assertArrayEquals(bytes, SafeTensors.serialize(sample(), Map.of("k", "v")), "the same map, the same bytes");
    }

    @Test
    void readHeaderDescribesWithoutLoadingEvenDTypesEmberCannotHold() throws IOException {
        Path p = dir.resolve("half.safetensors");
        Files.write(p, raw("{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"h\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[0,8]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", 16));
        SafeTensorsHeader h = SafeTensors.readHeader(p);
        assertEquals(2, h.entries().size());
        SafeTensorsHeader.Entry half = h.entries().get(0);
        assertEquals("h", half.name());
        assertEquals("F16", half.dtype());
        assertEquals(List.of(2L, 2L), half.shape());
        assertEquals(4, half.numel());
        assertTrue(half.emberDType().isEmpty());
        assertEquals(DType.FLOAT32, h.entries().get(1).emberDType().orElseThrow());
        assertEquals(Map.of("format", "pt"), h.metadata());

        DTypeException e = assertThrows(DTypeException.class, () -> SafeTensors.load(p));
        assertEquals("safetensors file " + p + ": tensor \"h\" has dtype F16, which Ember cannot hold; Ember reads "
                + "F32, F64, I64 and BOOL tensors. Convert it before saving, e.g. in PyTorch: {k: (v.float() if "
                + "v.is_floating_point() else v.long()) for k, v in state.items()}", e.getMessage());
    }

    @Test
    void readsHeadersInAnyOffsetOrderAndLeadingMetadataAnywhere() {
        byte[] data = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(42).putFloat(1.5f).array();
        SafeTensorsFile f = SafeTensors.deserialize(raw(
                "{\"b\":{\"data_offsets\":[8,12],\"shape\":[],\"dtype\":\"F32\"},"
                + "\"__metadata__\":null,\"a\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}  \n\t",
                data));
        assertEquals(List.of("b", "a"), List.copyOf(f.tensors().keySet()), "header order, not offset order");
        assertEquals(1.5, f.tensors().get("b").item());
        assertEquals(42, f.tensors().get("a").item());
        assertEquals(Map.of(), f.metadata());
    }

    @Test
    void zeroSizedTensorsMayShareAnOffset() {
        SafeTensorsFile f = SafeTensors.deserialize(raw(
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]},"
                + "\"b\":{\"dtype\":\"F64\",\"shape\":[2,0],\"data_offsets\":[0,0]},"
                + "\"c\":{\"dtype\":\"BOOL\",\"shape\":[1],\"data_offsets\":[0,1]}}", new byte[] {1}));
        assertArrayEquals(new int[] {2, 0}, f.tensors().get("b").shape());
        assertEquals(1.0, f.tensors().get("c").item());
    }

    private static List<Long> box(long[] a) {
        List<Long> out = new ArrayList<>();
        for (long v : a) {
            out.add(v);
        }
        return out;
    }

    // ---- corrupt, truncated and hostile files -----------------------------------------------------------------

    static final String ONE = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    @Test
    void errorsNameTheFileAndSayWhatIsWrong() throws IOException {
        Path missing = dir.resolve("nope.safetensors");
        EmberException e = assertThrows(EmberException.class, () -> SafeTensors.load(missing));
        assertEquals("safetensors file " + missing + " does not exist (absolute path: " + missing.toAbsolutePath()
                + ")", e.getMessage());
        e = assertThrows(EmberException.class, () -> SafeTensors.load(dir));
        assertEquals("safetensors file " + dir + " is a directory, not a file", e.getMessage());

        Path truncated = dir.resolve("truncated.safetensors");
        byte[] whole = raw(ONE, 8);
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length - 3));
        e = assertThrows(EmberException.class, () -> SafeTensors.load(truncated));
        assertEquals("safetensors file " + truncated + ": the file is truncated: its header describes 8 bytes of "
                + "tensor data but only 5 follow the header", e.getMessage());

        Path text = dir.resolve("notes.safetensors");
        Files.writeString(text, "hello, this is not a model file");
        e = assertThrows(EmberException.class, () -> SafeTensors.load(text));
        assertEquals("safetensors file " + text + ": the header length is 8367736964726416744 bytes, more than the "
                + "format's limit of 100000000; the file is corrupt or not a safetensors file", e.getMessage());
    }

    @Test
    void rejectsBadLengthsAndEncodings() {
        rejects(new byte[0], "the file is 0 bytes long, shorter than the 8-byte header length");
        rejects(new byte[7], "7 bytes long");
        rejects(ByteBuffer.allocate(8).putLong(-1).array(), "header length is 18446744073709551615 bytes, more than "
                + "the format's limit of 100000000");
        byte[] tooLong = raw(ONE, 8);
        ByteBuffer.wrap(tooLong).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 100_000_001L);
        rejects(tooLong, "header length is 100000001 bytes, more than the format's limit");
        byte[] beyond = raw(ONE, 8);
        ByteBuffer.wrap(beyond).order(ByteOrder.LITTLE_ENDIAN).putLong(0, beyond.length);
        rejects(beyond, "the header length is " + beyond.length + " bytes but the file has only "
                + (beyond.length - 8) + " bytes after the 8-byte length; the file is truncated");
        rejects(raw("", 0), "the header must be a JSON object starting with '{'", "it is empty");
        rejects(raw(" " + ONE, 8), "starts with the byte 0x20");
        rejects(raw("[" + ONE + "]", 8), "starts with the byte 0x5B");
        byte[] badUtf8 = raw("{\"w\u00e9\":{}}", 0);
        badUtf8[12] = (byte) 0xC3;
        badUtf8[13] = (byte) 0x28;
        rejects(badUtf8, "the header is not valid UTF-8");
        rejects(raw("{\"w\":1,}", 0), "the header is not valid JSON: JSON syntax error at character 7");
        rejects(raw(ONE.replace("}}", "},\"w\":{}}"), 8), "duplicate key \"w\"");
        rejects(raw("{}x", 0), "unexpected character 'x' after the end of the JSON value");
    }

    @Test
    void rejectsMalformedEntries() {
        rejects(raw("{\"w\":[1]}", 0), "tensor \"w\" must be described by an object with dtype, shape and "
                + "data_offsets, but it is an array");
        rejects(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", 0), "tensor \"w\" has no data_offsets");
        rejects(raw(ONE.replace("}}", ",\"strides\":[1]}}"), 8), "unknown field \"strides\"");
        rejects(raw(ONE.replace("\"F32\"", "32"), 8),
                "dtype must be a string such as \"F32\", but it is the number 32");
        rejects(raw(ONE.replace("F32", "F128"), 8), "unknown dtype \"F128\"; the format's dtypes are BOOL, U8");
        rejects(raw(ONE.replace("[2]", "[-2]"), 8), "shape must be an array of non-negative integers below 2^63, "
                + "but it holds the number -2");
        rejects(raw(ONE.replace("[2]", "[2.0]"), 8), "but it holds the number 2.0");
        rejects(raw(ONE.replace("[2]", "[\"2\"]"), 8), "but it holds a string");
        rejects(raw(ONE.replace("[2]", "2"), 8), "shape must be an array of non-negative integers, but it is the "
                + "number 2");
        rejects(raw(ONE.replace("[2]", "[9223372036854775808]"), 8), "below 2^63");
        rejects(raw(ONE.replace("[0,8]", "[0,8,16]"), 8), "data_offsets must hold two integers [begin, end], but it "
                + "holds 3");
        rejects(raw("{\"__metadata__\":{\"a\":1}}", 0), "__metadata__ must map strings to strings, but \"a\" maps to "
                + "the number 1");
        rejects(raw("{\"__metadata__\":[]}", 0), "__metadata__ must be an object of strings, but it is an array");
    }

    @Test
    void rejectsOffsetsThatDoNotTileTheDataExactly() {
        rejects(raw(ONE.replace("[0,8]", "[8,0]"), 8), "tensor \"w\" has data_offsets [8, 0] whose end is before its "
                + "begin");
        rejects(raw(ONE.replace("[0,8]", "[4,12]"), 12), "data_offsets [4, 12]: the first tensor's data must start at "
                + "offset 0");
        String two = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[%d,%d]}}";
        rejects(raw(String.format(two, 4, 12), 12), "tensor \"b\" has data_offsets [4, 12]: it overlaps tensor \"a\", "
                + "which ends at 8");
        rejects(raw(String.format(two, 0, 8), 8), "overlaps tensor");
        rejects(raw(String.format(two, 12, 20), 20), "there is a gap after tensor \"a\", which ends at 8");
        rejects(raw(ONE.replace("[0,8]", "[0,12]"), 12), "tensor \"w\" (F32, shape [2]) needs 8 bytes but its "
                + "data_offsets [0, 12] span 12");
        rejects(raw(ONE.replace("[2]", "[4611686018427387904,4]"), 8), "has shape [4611686018427387904, 4] whose size "
                + "in bytes overflows 64 bits");
        rejects(raw(ONE.replace("[2]", "[2305843009213693952]"), 8), "overflows 64 bits");
        rejects(raw(ONE, 12), "4 bytes follow the last tensor's data (the header describes 8 bytes of tensor data, "
                + "the file holds 12); the file is corrupt");
        rejects(raw(ONE, 7), "the file is truncated: its header describes 8 bytes of tensor data but only 7 follow");
        rejects(raw(ONE.replace("[0,8]", "[0,9223372036854775804]").replace("[2]", "[2305843009213693951]"), 8),
                "truncated");
    }

    @Test
    void rejectsTensorsEmberCannotHoldAndCorruptBools() {
        rejects(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[2147483648,0],\"data_offsets\":[0,0]}}", 0),
                "tensor \"w\" has shape [2147483648, 0], whose dimension 2147483648 is larger than Ember's limit");
        rejects(raw("{\"w\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "dtype I32, which Ember "
                + "cannot hold");
        rejects(raw("{\"w\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[0,3]}}", new byte[] {1, 0, 2}),
                "tensor \"w\" (BOOL) holds the byte 2 at element 2; a bool is stored as 0 or 1");
    }

    // ---- writing: misuse, and atomicity -----------------------------------------------------------------------

    @Test
    void saveRefusesBadArgumentsWithClearMessages() {
        Path p = dir.resolve("x.safetensors");
        Map<String, Tensor> nullName = new LinkedHashMap<>();
        nullName.put(null, Ember.zeros(1));
        assertMessage(() -> SafeTensors.save(nullName, p), "SafeTensors.save(" + p + "): a tensor name is null");
        assertMessage(() -> SafeTensors.save(Map.of("__metadata__", Ember.zeros(1)), p), "SafeTensors.save(" + p
                + "): \"__metadata__\" is reserved by the format and cannot name a tensor");
        Map<String, Tensor> nullTensor = new LinkedHashMap<>();
        nullTensor.put("w", null);
        assertMessage(() -> SafeTensors.save(nullTensor, p), "SafeTensors.save(" + p + "): the tensor \"w\" is null");
        assertMessage(() -> SafeTensors.save(Map.of("w", Ember.zeros(1)), p, null), "SafeTensors.save(" + p
                + "): the metadata map is null; pass Map.of() for none");
        assertMessage(() -> SafeTensors.save(Map.of("bad \uD800", Ember.zeros(1)), p), "SafeTensors.save(" + p
                + "): JSON: the string \"bad ?\" holds an unpaired surrogate U+D800, which has no UTF-8 encoding");
        Path noDir = dir.resolve("no/such/dir/m.safetensors");
        assertMessage(() -> SafeTensors.save(Map.of(), noDir), "cannot write safetensors file " + noDir
                + ": the directory " + noDir.getParent()
                + " does not exist; create it first (Files.createDirectories)");
        assertMessage(() -> SafeTensors.save(Map.of(), dir), "cannot write safetensors file " + dir + ": it is a "
                + "directory; give a file name such as " + dir.resolve("model.safetensors"));
        assertFalse(Files.exists(p), "nothing was written");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String message) {
        assertEquals(message, assertThrows(EmberException.class, call).getMessage());
    }

    /** A channel that fails once n bytes have gone through. */
    static UnaryOperator<WritableByteChannel> failAfter(long n, RuntimeException unchecked) {
        return ch -> new WritableByteChannel() {
            long written;

            @Override
            public int write(ByteBuffer src) throws IOException {
                if (written + src.remaining() > n) {
                    int part = (int) (n - written);
                    ByteBuffer slice = src.slice();
                    slice.limit(part);
                    written += ch.write(slice);
                    if (unchecked != null) {
                        throw unchecked;
                    }
                    throw new IOException("No space left on device (simulated)");
                }
                int w = ch.write(src);
                written += w;
                return w;
            }

            @Override
            public boolean isOpen() {
                return ch.isOpen();
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        };
    }

    @Test
    void aFailureMidWriteLeavesTheOldFileIntactAndNoTemporaryFile() throws IOException {
        Path p = dir.resolve("model.safetensors");
        SafeTensors.save(Map.of("w", Ember.ones(4)), p);
        byte[] before = Files.readAllBytes(p);
        Map<String, Tensor> bigger = Map.of("w", Ember.zeros(50_000));

        EmberException e = assertThrows(EmberException.class,
                () -> SafeTensors.save(bigger, p, Map.of(), failAfter(100_000, null)));
        assertEquals("cannot write safetensors file " + p + ": IOException: No space left on device (simulated); the "
                + "previous file, if any, is unchanged", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(p));
        assertEquals(List.of(p), listDir(), "the temporary file was removed");

        IllegalStateException bug = new IllegalStateException("bug in a channel");
        assertSame(bug, assertThrows(IllegalStateException.class,
                () -> SafeTensors.save(bigger, p, Map.of(), failAfter(10, bug))));
        assertArrayEquals(before, Files.readAllBytes(p));
        assertEquals(List.of(p), listDir());

        Path fresh = dir.resolve("fresh.safetensors");
        assertThrows(EmberException.class, () -> SafeTensors.save(bigger, fresh, Map.of(), failAfter(3, null)));
        assertFalse(Files.exists(fresh), "a failed first save leaves no file at all");

        SafeTensors.save(bigger, p);   // and a save that succeeds replaces the file
        assertEquals(50_000, SafeTensors.load(p).get("w").numel());
        assertEquals(List.of(p), listDir());
    }

    private List<Path> listDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    @Timeout(60)
    void aCrashMidWriteLeavesTheOldFileIntact() throws Exception {
        Path p = dir.resolve("model.safetensors");
        Map<String, Tensor> old = Map.of("w", Ember.arange(10));
        SafeTensors.save(old, p);
        byte[] before = Files.readAllBytes(p);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashDuringSave.class.getName(), p.toString(), "200000")
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(50, TimeUnit.SECONDS));
        assertEquals(3, child.exitValue(), "the child halted mid-write: " + output);

        assertArrayEquals(before, Files.readAllBytes(p), "the old file is untouched");
        assertSameTensors(old, SafeTensors.load(p));
        List<Path> stray = listDir().stream().filter(x -> !x.equals(p)).toList();
        assertEquals(1, stray.size(), "the crash left its temporary file: " + stray);
        String name = stray.get(0).getFileName().toString();
        assertTrue(name.startsWith(".model.safetensors.") && name.endsWith(".tmp"), name);
        assertTrue(Files.size(stray.get(0)) >= 200_000 && Files.size(stray.get(0)) < 400_000, "half written");
    }

    // ---- fuzzing ----------------------------------------------------------------------------------------------

    /**
     * Random bytes, random mutations of valid files and random headers: loading must succeed or fail with an
     * EmberException, never with another exception, and never hang.
     */
    @Test
    @Timeout(30)
    void fuzzedFilesOnlyEverFailWithEmberException() {
        Random r = new Random(424242);
        byte[] valid = SafeTensors.serialize(sample(), Map.of("format", "pt"));
        int loaded = 0;
        int rejected = 0;
        for (int i = 0; i < 12_000; i++) {
            byte[] file = switch (i % 4) {
                case 0 -> randomBytes(r);
                case 1 -> mutate(valid, r);
                case 2 -> randomHeaderFile(r);
                default -> truncateOrExtend(valid, r);
            };
            try {
                SafeTensors.deserialize(file);
                loaded++;
            } catch (EmberException e) {
                assertTrue(e.getMessage().startsWith("safetensors bytes: "), e.getMessage());
                rejected++;
            } catch (Throwable t) {
                fail("case " + i + " threw " + t + " for " + JsonTest.quoteForMessage(
                        new String(file, StandardCharsets.ISO_8859_1)), t);
            }
        }
        assertTrue(loaded > 500 && rejected > 5000, loaded + " loaded, " + rejected + " rejected");
    }

    private static byte[] randomBytes(Random r) {
        byte[] b = new byte[r.nextInt(64)];
        r.nextBytes(b);
        if (b.length >= 8 && r.nextBoolean()) {
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, r.nextInt(b.length));
        }
        return b;
    }

    private static byte[] mutate(byte[] valid, Random r) {
        byte[] b = valid.clone();
        int headerEnd = 8 + (int) ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        int edits = 1 + r.nextInt(3);
        for (int j = 0; j < edits; j++) {
            int at = r.nextInt(r.nextInt(4) == 0 ? b.length : headerEnd);   // mostly in the header
            b[at] = switch (r.nextInt(3)) {
                case 0 -> (byte) r.nextInt(256);
                case 1 -> (byte) "{}[]\":,0123456789-e.".charAt(r.nextInt(20));
                default -> (byte) (b[at] ^ (1 << r.nextInt(8)));
            };
        }
        return b;
    }

    private static byte[] truncateOrExtend(byte[] valid, Random r) {
        int n = r.nextBoolean() ? r.nextInt(valid.length) : valid.length + r.nextInt(16);
        return java.util.Arrays.copyOf(valid, n);
    }

    private static final String[] DTYPES = {"F32", "F64", "I64", "BOOL", "F16", "I32", "U8", "F128", "f32", ""};

    /** A structurally plausible header with random dtypes, shapes and offsets (often wrong), and random data. */
    private static byte[] randomHeaderFile(Random r) {
        StringBuilder h = new StringBuilder("{");
        int tensors = r.nextInt(4);
        long offset = 0;
        for (int t = 0; t < tensors; t++) {
            if (t > 0) {
                h.append(',');
            }
            String dtype = DTYPES[r.nextInt(r.nextBoolean() ? 4 : DTYPES.length)];
            int size = switch (dtype) {
                case "F64", "I64" -> 8;
                case "F32", "I32" -> 4;
                case "F16" -> 2;
                default -> 1;
            };
            StringBuilder shape = new StringBuilder("[");
            long numel = 1;
            int dims = r.nextInt(4);
            for (int d = 0; d < dims; d++) {
                long dim = switch (r.nextInt(10)) {
                    case 0 -> Long.MAX_VALUE;
                    case 1 -> 1L << r.nextInt(63);
                    case 2 -> -1;
                    default -> r.nextInt(4);
                };
                numel *= dim;
                shape.append(d > 0 ? "," : "").append(dim);
            }
            shape.append(']');
            long bytes = numel * size;
            long begin = r.nextInt(5) == 0 ? r.nextInt(16) : offset;
            long end = r.nextInt(5) == 0 ? r.nextLong() : begin + bytes;
            offset = end;
            h.append("\"t").append(t).append("\":{\"dtype\":\"").append(dtype).append("\",\"shape\":").append(shape)
                    .append(",\"data_offsets\":[").append(begin).append(',').append(end).append("]}");
        }
        if (r.nextInt(3) == 0) {
            h.append(tensors > 0 ? "," : "").append("\"__metadata__\":{\"k\":")
                    .append(r.nextBoolean() ? "\"v\"" : "1").append('}');
        }
        h.append('}');
        long dataLength = offset >= 0 && offset < 256 ? offset + (r.nextInt(4) == 0 ? r.nextInt(3) - 1 : 0) : 16;
        byte[] data = new byte[(int) Math.max(0, dataLength)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (r.nextInt(8) == 0 ? r.nextInt(256) : r.nextInt(2));
        }
        return raw(h.toString(), data);
    }
}
