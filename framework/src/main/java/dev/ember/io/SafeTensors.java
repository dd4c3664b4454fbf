package dev.ember.io;

import dev.ember.DType;
import dev.ember.DTypeException;
import dev.ember.EmberException;
import dev.ember.Internal;
import dev.ember.Tensor;
import dev.ember.kernels.Kernels;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Reads and writes tensors in the safetensors format, the format in which PyTorch users share weights: an 8-byte
 * little-endian header length N, N bytes of UTF-8 JSON naming each tensor's dtype, shape and byte range, then the
 * raw little-endian, row-major data. Ember holds float32 ({@code F32}), float64 ({@code F64}), int64
 * ({@code I64}) and bool ({@code BOOL}) tensors; files with other dtypes can be inspected with
 * {@link #readHeader} but not loaded.
 *
 * <pre>{@code
 * Map<String, Tensor> state = new LinkedHashMap<>();
 * state.put("weight", Ember.randn(3, 4));
 * state.put("step", Ember.scalar(DType.INT64, 10));
 * SafeTensors.save(state, Path.of("weights.safetensors"), Map.of("format", "pt"));
 * Map<String, Tensor> back = SafeTensors.load(Path.of("weights.safetensors"));   // same names, order and values
 * }</pre>
 *
 * <p>In Python, {@code safetensors.torch.load_file("weights.safetensors")} reads the file, and the files it writes
 * ({@code save_file}) load here.
 *
 * <p><b>Untrusted files.</b> Loading never runs code and never uses Java serialization. Before any tensor data is
 * read, the header is checked as the reference implementation does and more strictly: at most 100,000,000
 * bytes ({@link #MAX_HEADER_BYTES}), valid UTF-8, one JSON object starting with '{' and without duplicate keys,
 * every tensor with exactly a known dtype, a shape of non-negative integers and two offsets; the tensors' byte
 * ranges must tile the data section exactly (sorted by offset: the first starts at 0, each starts where the
 * previous ended, none overlaps another, no gap) and end at the end of the file; each range's length must equal
 * the shape's element count times the dtype's size, with every product checked for overflow. Any violation, and
 * any truncation, is an {@link EmberException} that names the file, the tensor and what is wrong.
 *
 * <p><b>Atomic writes.</b> {@link #save} writes a temporary file in the same directory, forces it to the disk and
 * renames it over the target: a crash at any moment leaves the old file or the new one, never a half-written one.
 *
 * <p>Writing follows the reference implementation's layout: the header lists the tensors in the map's order
 * (and {@code __metadata__} first), is padded with spaces to a multiple of 8 bytes, and the data is laid out by
 * descending element size, so that every tensor's data is aligned to its element size. The same map always gives
 * the same bytes.
 */
public final class SafeTensors {
    /** The largest header accepted, as in the reference implementation. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    /** The most elements one Ember tensor holds (a Java array). */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private static final String METADATA_KEY = "__metadata__";
    private static final int CHUNK = 1 << 16;

    /** Every dtype of the format with its element size in bytes; the ones Ember holds are mapped below. */
    private static final Map<String, Integer> DTYPE_SIZES = Map.ofEntries(
            Map.entry("BOOL", 1), Map.entry("U8", 1), Map.entry("I8", 1), Map.entry("F8_E5M2", 1),
            Map.entry("F8_E4M3", 1), Map.entry("I16", 2), Map.entry("U16", 2), Map.entry("F16", 2),
            Map.entry("BF16", 2), Map.entry("I32", 4), Map.entry("U32", 4), Map.entry("F32", 4),
            Map.entry("F64", 8), Map.entry("I64", 8), Map.entry("U64", 8));

    private static final Set<String> ENTRY_FIELDS = Set.of("dtype", "shape", "data_offsets");

    private SafeTensors() {
    }

    // ---- public API -------------------------------------------------------------------------------------------

    /** Writes the tensors (in the map's order) to path, atomically, without metadata. */
    public static void save(Map<String, Tensor> tensors, Path path) {
        save(tensors, path, Map.of());
    }

    /**
     * Writes the tensors (in the map's order) and the metadata strings to path, atomically: a temporary file in
     * the same directory, forced to the disk, then renamed over path.
     *
     * @throws EmberException for a null or reserved name ({@code __metadata__}), a null tensor or metadata entry,
     *                        or an I/O failure (the previous file at path, if any, is then unchanged)
     */
    public static void save(Map<String, Tensor> tensors, Path path, Map<String, String> metadata) {
        save(tensors, path, metadata, UnaryOperator.identity());
    }

    /** As the public save, with the temporary file's channel wrapped by filter (tests inject failures). */
    static void save(Map<String, Tensor> tensors, Path path, Map<String, String> metadata,
                     UnaryOperator<WritableByteChannel> filter) {
        if (path == null) {
            throw new EmberException("SafeTensors.save: the path is null");
        }
        Layout layout = layout(tensors, metadata, "SafeTensors.save(" + path + ")");
        AtomicFiles.write(path, "safetensors file", layout::writeTo, filter);
    }

    /** The tensors of a safetensors file, by name in the header's order (a new map the caller owns). */
    public static Map<String, Tensor> load(Path path) {
        return new LinkedHashMap<>(read(path).tensors());
    }

    /** The tensors and the metadata of a safetensors file. */
    public static SafeTensorsFile read(Path path) {
        try (FileSource src = FileSource.open(path)) {
            return read(src);
        }
    }

    /** The checked header of a safetensors file (names, dtypes, shapes, offsets, metadata); no data is read. */
    public static SafeTensorsHeader readHeader(Path path) {
        try (FileSource src = FileSource.open(path)) {
            return readHeader(src);
        }
    }

    /** The bytes of a safetensors file holding the tensors and metadata (what {@link #save} writes). */
    public static byte[] serialize(Map<String, Tensor> tensors, Map<String, String> metadata) {
        Layout layout = layout(tensors, metadata, "SafeTensors.serialize");
        long total = layout.totalBytes();
        if (total > MAX_ELEMENTS) {
            throw new EmberException("SafeTensors.serialize: the file would be " + total + " bytes, more than a Java "
                    + "byte array holds; use SafeTensors.save to write it to a file");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) total);
        try {
            layout.writeTo(Channels.newChannel(bytes));
        } catch (IOException e) {
            throw new EmberException("SafeTensors.serialize: " + AtomicFiles.describe(e), e);   // not reachable
        }
        return bytes.toByteArray();
    }

    /** Parses the bytes of a safetensors file, with every check that {@link #read} makes. */
    public static SafeTensorsFile deserialize(byte[] bytes) {
        if (bytes == null) {
            throw new EmberException("SafeTensors.deserialize: the byte array is null");
        }
        return read(new ByteSource(bytes));
    }

    /** The checked header held in the bytes of a safetensors file, as {@link #readHeader} gives it for a file. */
    public static SafeTensorsHeader deserializeHeader(byte[] bytes) {
        if (bytes == null) {
            throw new EmberException("SafeTensors.deserializeHeader: the byte array is null");
        }
        return readHeader(new ByteSource(bytes));
    }

    /** The Ember dtype for a format dtype name, or null when Ember cannot hold it. */
    static DType emberDType(String dtype) {
        return switch (dtype) {
            case "F32" -> DType.FLOAT32;
            case "F64" -> DType.FLOAT64;
            case "I64" -> DType.INT64;
            case "BOOL" -> DType.BOOL;
            default -> null;
        };
    }

    /** The format's name for an Ember dtype. */
    static String formatDType(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> "F32";
            case FLOAT64 -> "F64";
            case INT64 -> "I64";
            case BOOL -> "BOOL";
        };
    }

    // ---- reading ----------------------------------------------------------------------------------------------

    private static SafeTensorsFile read(Source src) {
        SafeTensorsHeader header = readHeader(src);
        String where = src.describe();
        for (SafeTensorsHeader.Entry e : header.entries()) {   // refuse before reading any data
            if (emberDType(e.dtype()) == null) {
                throw new DTypeException(where + ": tensor " + Json.quote(e.name()) + " has dtype " + e.dtype()
                        + ", which Ember cannot hold; Ember reads F32, F64, I64 and BOOL tensors. Convert it before "
                        + "saving, e.g. in PyTorch: {k: (v.float() if v.is_floating_point() else v.long()) for k, v "
                        + "in state.items()}");
            }
            for (long d : e.shape()) {
                if (d > Integer.MAX_VALUE) {
                    throw new EmberException(where + ": tensor " + Json.quote(e.name()) + " has shape " + e.shape()
                            + ", whose dimension " + d + " is larger than Ember's limit of " + Integer.MAX_VALUE);
                }
            }
            if (e.numel() > MAX_ELEMENTS) {
                throw new EmberException(where + ": tensor " + Json.quote(e.name()) + " has " + e.numel()
                        + " elements (shape " + e.shape() + "), more than one Ember tensor holds (" + MAX_ELEMENTS
                        + ")");
            }
        }
        long dataStart = 8 + header.headerLength();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        for (SafeTensorsHeader.Entry e : header.entries()) {
            tensors.put(e.name(), readTensor(src, e, dataStart, chunk));
        }
        return new SafeTensorsFile(tensors, header.metadata());
    }

    private static Tensor readTensor(Source src, SafeTensorsHeader.Entry e, long dataStart, ByteBuffer chunk) {
        DType dtype = emberDType(e.dtype());
        int[] shape = new int[e.shape().size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = (int) (long) e.shape().get(i);
        }
        int n = (int) e.numel();
        int size = dtype == DType.BOOL ? 1 : dtype.byteSize();
        Object array = switch (dtype) {
            case FLOAT32 -> new float[n];
            case FLOAT64 -> new double[n];
            case INT64 -> new long[n];
            case BOOL -> new boolean[n];
        };
        int perChunk = CHUNK / size;
        for (int done = 0; done < n; ) {
            int count = Math.min(perChunk, n - done);
            chunk.clear().limit(count * size);
            src.readFully(dataStart + e.begin() + (long) done * size, chunk, e.name());
            chunk.flip();
            switch (dtype) {
                case FLOAT32 -> chunk.asFloatBuffer().get((float[]) array, done, count);
                case FLOAT64 -> chunk.asDoubleBuffer().get((double[]) array, done, count);
                case INT64 -> chunk.asLongBuffer().get((long[]) array, done, count);
                case BOOL -> {
                    boolean[] b = (boolean[]) array;
                    for (int i = 0; i < count; i++) {
                        byte v = chunk.get(i);
                        if (v != 0 && v != 1) {
                            throw new EmberException(src.describe() + ": tensor " + Json.quote(e.name())
                                    + " (BOOL) holds the byte " + (v & 0xff) + " at element " + (done + i)
                                    + "; a bool is stored as 0 or 1, so the file is corrupt");
                        }
                        b[done + i] = v == 1;
                    }
                }
            }
            done += count;
        }
        return Internal.wrap(switch (dtype) {
            case FLOAT32 -> Kernels.fromArray((float[]) array, shape);
            case FLOAT64 -> Kernels.fromArray((double[]) array, shape);
            case INT64 -> Kernels.fromArray((long[]) array, shape);
            case BOOL -> Kernels.fromArray((boolean[]) array, shape);
        });
    }

    private static SafeTensorsHeader readHeader(Source src) {
        String where = src.describe();
        long size = src.size();
        if (size < 8) {
            throw new EmberException(where + ": the file is " + size + " bytes long, shorter than the 8-byte header "
                    + "length that starts a safetensors file; it is truncated or not a safetensors file");
        }
        ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        src.readFully(0, prefix, null);
        long n = prefix.getLong(0);
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw new EmberException(where + ": the header length is " + Long.toUnsignedString(n) + " bytes, more "
                    + "than the format's limit of " + MAX_HEADER_BYTES + "; the file is corrupt or not a "
                    + "safetensors file");
        }
        if (n > size - 8) {
            throw new EmberException(where + ": the header length is " + n + " bytes but the file has only "
                    + (size - 8) + " bytes after the 8-byte length; the file is truncated or not a safetensors file");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) n);
        src.readFully(8, headerBytes, null);
        headerBytes.flip();
        if (n == 0 || headerBytes.get(0) != '{') {
            throw new EmberException(where + ": the header must be a JSON object starting with '{' right after the "
                    + "8-byte length, but it " + (n == 0 ? "is empty" : "starts with the byte 0x"
                    + String.format("%02X", headerBytes.get(0))) + "; the file is corrupt or not a safetensors file");
        }
        String text;
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(headerBytes);
            text = chars.toString();
        } catch (CharacterCodingException e) {
            throw new EmberException(where + ": the header is not valid UTF-8 (" + e.getMessage() + "); the file is "
                    + "corrupt", e);
        }
        Map<String, Object> root;
        try {
            root = Json.parseObject(text);
        } catch (EmberException e) {
            throw new EmberException(where + ": the header is not valid JSON: " + e.getMessage(), e);
        }
        List<SafeTensorsHeader.Entry> entries = new ArrayList<>();
        Map<String, String> metadata = Map.of();
        for (Map.Entry<String, Object> kv : root.entrySet()) {
            if (kv.getKey().equals(METADATA_KEY)) {
                metadata = parseMetadata(where, kv.getValue());
            } else {
                entries.add(parseEntry(where, kv.getKey(), kv.getValue()));
            }
        }
        long dataLength = checkLayout(where, entries);
        long available = size - 8 - n;
        if (dataLength > available) {
            throw new EmberException(where + ": the file is truncated: its header describes " + dataLength
                    + " bytes of tensor data but only " + available + " follow the header");
        }
        if (dataLength < available) {
            throw new EmberException(where + ": " + (available - dataLength) + " bytes follow the last tensor's "
                    + "data (the header describes " + dataLength + " bytes of tensor data, the file holds "
                    + available + "); the file is corrupt");
        }
        return new SafeTensorsHeader(entries, metadata, n);
    }

    private static Map<String, String> parseMetadata(String where, Object value) {
        if (value == Json.NULL) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> m)) {
            throw new EmberException(where + ": __metadata__ must be an object of strings, but it is "
                    + Json.typeName(value));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new EmberException(where + ": __metadata__ must map strings to strings, but "
                        + Json.quote((String) e.getKey()) + " maps to " + Json.typeName(e.getValue()));
            }
            out.put((String) e.getKey(), s);
        }
        return out;
    }

    private static SafeTensorsHeader.Entry parseEntry(String where, String name, Object value) {
        String what = where + ": tensor " + Json.quote(name);
        if (!(value instanceof Map<?, ?> m)) {
            throw new EmberException(what + " must be described by an object with dtype, shape and data_offsets, "
                    + "but it is " + Json.typeName(value));
        }
        for (Object k : m.keySet()) {
            if (!ENTRY_FIELDS.contains(k)) {
                throw new EmberException(what + " has the unknown field " + Json.quote((String) k)
                        + "; a tensor has exactly dtype, shape and data_offsets");
            }
        }
        for (String f : List.of("dtype", "shape", "data_offsets")) {
            if (!m.containsKey(f)) {
                throw new EmberException(what + " has no " + f + "; a tensor has dtype, shape and data_offsets");
            }
        }
        if (!(m.get("dtype") instanceof String dtype)) {
            throw new EmberException(what + ": dtype must be a string such as \"F32\", but it is "
                    + Json.typeName(m.get("dtype")));
        }
        if (!DTYPE_SIZES.containsKey(dtype)) {
            throw new EmberException(what + " has the unknown dtype " + Json.quote(dtype) + "; the format's dtypes are "
                    + "BOOL, U8, I8, F8_E5M2, F8_E4M3, I16, U16, F16, BF16, I32, U32, F32, F64, I64 and U64");
        }
        List<Long> shape = integers(what, "shape", m.get("shape"));
        List<Long> offsets = integers(what, "data_offsets", m.get("data_offsets"));
        if (offsets.size() != 2) {
            throw new EmberException(what + ": data_offsets must hold two integers [begin, end], but it holds "
                    + offsets.size());
        }
        return new SafeTensorsHeader.Entry(name, dtype, shape, offsets.get(0), offsets.get(1));
    }

    private static List<Long> integers(String what, String field, Object value) {
        if (!(value instanceof List<?> list)) {
            throw new EmberException(what + ": " + field + " must be an array of non-negative integers, but it is "
                    + Json.typeName(value));
        }
        List<Long> out = new ArrayList<>(list.size());
        for (Object o : list) {
            Long v = o instanceof Json.JsonNumber num && num.isNonNegativeInteger() ? num.longValue() : null;
            if (v == null) {
                throw new EmberException(what + ": " + field + " must be an array of non-negative integers below "
                        + "2^63, but it holds " + Json.typeName(o));
            }
            out.add(v);
        }
        return out;
    }

    /** Checks that the ranges tile the data section and match shape times dtype; returns the section's length. */
    private static long checkLayout(String where, List<SafeTensorsHeader.Entry> entries) {
        List<SafeTensorsHeader.Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(SafeTensorsHeader.Entry::begin)
                .thenComparingLong(SafeTensorsHeader.Entry::end));
        long expectedBegin = 0;
        SafeTensorsHeader.Entry previous = null;
        for (SafeTensorsHeader.Entry e : byOffset) {
            String what = where + ": tensor " + Json.quote(e.name());
            if (e.end() < e.begin()) {
                throw new EmberException(what + " has data_offsets [" + e.begin() + ", " + e.end() + "] whose end "
                        + "is before its begin; the file is corrupt");
            }
            if (e.begin() != expectedBegin) {
                String detail = previous == null
                        ? "the first tensor's data must start at offset 0"
                        : e.begin() < expectedBegin
                        ? "it overlaps tensor " + Json.quote(previous.name()) + ", which ends at " + expectedBegin
                        : "there is a gap after tensor " + Json.quote(previous.name()) + ", which ends at "
                        + expectedBegin;
                throw new EmberException(what + " has data_offsets [" + e.begin() + ", " + e.end() + "]: " + detail
                        + " (tensors' data must follow one another without gaps or overlaps); the file is corrupt");
            }
            long bytes;
            try {
                long numel = 1;
                for (long d : e.shape()) {
                    numel = Math.multiplyExact(numel, d);
                }
                bytes = Math.multiplyExact(numel, (long) DTYPE_SIZES.get(e.dtype()));
            } catch (ArithmeticException overflow) {
                throw new EmberException(what + " has shape " + e.shape() + " whose size in bytes overflows 64 bits; "
                        + "the file is corrupt");
            }
            if (e.end() - e.begin() != bytes) {
                throw new EmberException(what + " (" + e.dtype() + ", shape " + e.shape() + ") needs " + bytes
                        + " bytes but its data_offsets [" + e.begin() + ", " + e.end() + "] span " + (e.end()
                        - e.begin()) + "; the file is corrupt");
            }
            expectedBegin = e.end();
            previous = e;
        }
        return expectedBegin;
    }

    // ---- writing ----------------------------------------------------------------------------------------------

    /** One tensor's place in a file being written. */
    private record Slot(String name, Tensor tensor, DType dtype, long begin, long end) {
    }

    /** The header bytes and the tensors in data order: everything needed to write a file. */
    private record Layout(byte[] header, List<Slot> slots, long dataLength) {
        long totalBytes() {
            return 8 + header.length + dataLength;
        }

        void writeTo(WritableByteChannel ch) throws IOException {
            ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            buf.putLong(header.length).flip();
            writeFully(ch, buf);
            writeFully(ch, ByteBuffer.wrap(header));
            for (Slot s : slots) {
                writeData(ch, s, buf);
            }
        }
    }

    private static Layout layout(Map<String, Tensor> tensors, Map<String, String> metadata, String op) {
        if (tensors == null) {
            throw new EmberException(op + ": the map of tensors is null");
        }
        if (metadata == null) {
            throw new EmberException(op + ": the metadata map is null; pass Map.of() for none");
        }
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            Map<String, Object> meta = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) {
                    throw new EmberException(op + ": metadata keys and values must not be null (entry " + e.getKey()
                            + " = " + e.getValue() + ")");
                }
                meta.put(e.getKey(), e.getValue());
            }
            header.put(METADATA_KEY, meta);
        }
        List<Slot> ordered = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null) {
                throw new EmberException(op + ": a tensor name is null");
            }
            if (name.equals(METADATA_KEY)) {
                throw new EmberException(op + ": \"__metadata__\" is reserved by the format and cannot name a tensor");
            }
            if (e.getValue() == null) {
                throw new EmberException(op + ": the tensor " + Json.quote(name) + " is null");
            }
            ordered.add(new Slot(name, e.getValue(), e.getValue().dtype(), 0, 0));
        }
        // data by descending element size (stable: map order within a size), so every tensor is aligned
        List<Slot> byAlignment = new ArrayList<>(ordered);
        byAlignment.sort(Comparator.comparingInt((Slot s) -> -elementSize(s.dtype())));
        Map<String, Slot> placed = new LinkedHashMap<>();
        long offset = 0;
        for (Slot s : byAlignment) {
            long bytes = (long) s.tensor().numel() * elementSize(s.dtype());
            placed.put(s.name(), new Slot(s.name(), s.tensor(), s.dtype(), offset, offset + bytes));
            offset += bytes;
        }
        for (Slot s : ordered) {
            Slot p = placed.get(s.name());
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", formatDType(p.dtype()));
            List<Object> shape = new ArrayList<>();
            for (int d : p.tensor().shape()) {
                shape.add((long) d);
            }
            info.put("shape", shape);
            info.put("data_offsets", List.of(p.begin(), p.end()));
            header.put(s.name(), info);
        }
        String json;
        try {
            json = Json.write(header);
        } catch (EmberException e) {
            throw new EmberException(op + ": " + e.getMessage(), e);
        }
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        int padded = (utf8.length + 7) / 8 * 8;
        if (padded > MAX_HEADER_BYTES) {
            throw new EmberException(op + ": the header would be " + padded + " bytes, more than the format's limit "
                    + "of " + MAX_HEADER_BYTES + "; save fewer tensors per file or shorter metadata");
        }
        byte[] headerBytes = Arrays.copyOf(utf8, padded);
        Arrays.fill(headerBytes, utf8.length, padded, (byte) ' ');
        return new Layout(headerBytes, List.copyOf(placed.values()), offset);
    }

    private static int elementSize(DType d) {
        return d == DType.BOOL ? 1 : d.byteSize();
    }

    private static void writeData(WritableByteChannel ch, Slot s, ByteBuffer buf) throws IOException {
        Tensor t = s.tensor();
        int size = elementSize(s.dtype());
        int n = t.numel();
        if ((long) n * size != s.end() - s.begin()) {
            throw new EmberException("SafeTensors: tensor " + Json.quote(s.name()) + " changed size while it was "
                    + "being written");
        }
        Object array = switch (s.dtype()) {
            case FLOAT32 -> t.toFloatArray();
            case FLOAT64 -> t.toDoubleArray();
            case INT64, BOOL -> t.toLongArray();
        };
        int perChunk = CHUNK / size;
        for (int done = 0; done < n; ) {
            int count = Math.min(perChunk, n - done);
            buf.clear();
            switch (s.dtype()) {
                case FLOAT32 -> buf.asFloatBuffer().put((float[]) array, done, count);
                case FLOAT64 -> buf.asDoubleBuffer().put((double[]) array, done, count);
                case INT64 -> buf.asLongBuffer().put((long[]) array, done, count);
                case BOOL -> {
                    long[] b = (long[]) array;
                    for (int i = 0; i < count; i++) {
                        buf.put(i, (byte) (b[done + i] != 0 ? 1 : 0));
                    }
                }
            }
            buf.limit(count * size);
            writeFully(ch, buf);
            done += count;
        }
    }

    private static void writeFully(WritableByteChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    // ---- sources ----------------------------------------------------------------------------------------------

    /** Random access to a file's bytes, with errors that name it. */
    private interface Source {
        String describe();

        long size();

        /** Fills dst (to its limit) from position pos; a short read is a truncated file. */
        void readFully(long pos, ByteBuffer dst, String tensor);
    }

    private static final class FileSource implements Source, AutoCloseable {
        private final Path path;
        private final FileChannel channel;
        private final long size;

        private FileSource(Path path, FileChannel channel, long size) {
            this.path = path;
            this.channel = channel;
            this.size = size;
        }

        static FileSource open(Path path) {
            if (path == null) {
                throw new EmberException("SafeTensors: the path is null");
            }
            if (java.nio.file.Files.isDirectory(path)) {
                throw new EmberException("safetensors file " + path + " is a directory, not a file");
            }
            FileChannel ch = null;
            try {
                ch = FileChannel.open(path, StandardOpenOption.READ);
                return new FileSource(path, ch, ch.size());
            } catch (NoSuchFileException e) {
                throw new EmberException("safetensors file " + path + " does not exist (absolute path: "
                        + path.toAbsolutePath() + ")", e);
            } catch (IOException e) {
                closeQuietly(ch);
                throw new EmberException("cannot open safetensors file " + path + ": " + AtomicFiles.describe(e), e);
            }
        }

        @Override
        public String describe() {
            return "safetensors file " + path;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public void readFully(long pos, ByteBuffer dst, String tensor) {
            try {
                long p = pos;
                while (dst.hasRemaining()) {
                    int r = channel.read(dst, p);
                    if (r < 0) {
                        throw new EOFException();
                    }
                    p += r;
                }
            } catch (EOFException e) {
                throw new EmberException(describe() + ": the file ended while reading "
                        + (tensor == null ? "the header" : "tensor " + Json.quote(tensor))
                        + "; it is truncated (or was cut short while it was being read)", e);
            } catch (IOException e) {
                throw new EmberException("cannot read " + describe() + ": " + AtomicFiles.describe(e), e);
            }
        }

        @Override
        public void close() {
            closeQuietly(channel);
        }

        private static void closeQuietly(FileChannel ch) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // read-only channel: nothing to lose
                }
            }
        }
    }

    private record ByteSource(byte[] bytes) implements Source {
        @Override
        public String describe() {
            return "safetensors bytes";
        }

        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public void readFully(long pos, ByteBuffer dst, String tensor) {
            int n = dst.remaining();
            if (pos < 0 || pos + n > bytes.length) {
                throw new EmberException(describe() + ": the data ends while reading "
                        + (tensor == null ? "the header" : "tensor " + Json.quote(tensor)) + "; they are truncated");
            }
            dst.put(bytes, (int) pos, n);
        }
    }
}
