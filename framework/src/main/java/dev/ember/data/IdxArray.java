package dev.ember.data;

import dev.ember.DType;
import dev.ember.DTypeException;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.ShapeException;
import dev.ember.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * The contents of one IDX file (the format of MNIST and Fashion-MNIST): an element type, the dimensions, and the
 * elements in row-major order (stored as the file's big-endian bytes). {@link Idx} reads and writes them.
 *
 * <pre>{@code
 * IdxArray labels = IdxArray.unsignedBytes(new byte[] {3, 1, 4}, 3);
 * Tensor y = labels.toTensor(DType.INT64);           // tensor([3, 1, 4])
 * IdxArray images = Idx.read(Path.of("train-images-idx3-ubyte.gz"));
 * int[] dims = images.dims();                         // [60000, 28, 28]
 * }</pre>
 */
public final class IdxArray {

    /**
     * The element types of the IDX format, with their type codes (the third byte of the magic number).
     *
     * <pre>{@code
     * IdxArray.Type t = IdxArray.Type.ofCode(0x08);     // UNSIGNED_BYTE, MNIST's type
     * int size = t.bytes();                              // 1
     * }</pre>
     */
    public enum Type {
        UNSIGNED_BYTE(0x08, 1), SIGNED_BYTE(0x09, 1), SHORT(0x0B, 2), INT(0x0C, 4), FLOAT(0x0D, 4), DOUBLE(0x0E, 8);

        private final int code;
        private final int bytes;

        Type(int code, int bytes) {
            this.code = code;
            this.bytes = bytes;
        }

        /** The type code in the magic number (0x08 for unsigned bytes). */
        public int code() {
            return code;
        }

        /** Bytes per element. */
        public int bytes() {
            return bytes;
        }

        /** The type for a code, or null if the code is not one of the format's six. */
        public static Type ofCode(int code) {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            return null;
        }

        boolean isIntegral() {
            return this != FLOAT && this != DOUBLE;
        }
    }

    private final Type type;
    private final int[] dims;
    private final byte[] data;
    private final int count;

    /** Wraps without copying; the caller has checked the sizes. */
    IdxArray(Type type, int[] dims, byte[] data) {
        this.type = type;
        this.dims = dims;
        this.data = data;
        this.count = data.length / type.bytes;
    }

    /**
     * An array over a copy of {@code data}: the elements' big-endian bytes in row-major order.
     *
     * @throws ShapeException if the number of bytes does not match the dimensions
     */
    public static IdxArray of(Type type, byte[] data, int... dims) {
        Objects.requireNonNull(type, "IdxArray: the type must not be null");
        Objects.requireNonNull(data, "IdxArray: the data must not be null");
        checkDims(dims);
        long expected = elements(dims) * type.bytes;
        if (expected != data.length) {
            throw new ShapeException("IdxArray: dimensions " + Arrays.toString(dims) + " of " + type + " need "
                    + expected + " bytes but " + data.length + " were given");
        }
        return new IdxArray(type, dims.clone(), data.clone());
    }

    /** Unsigned bytes (0..255, Java's byte read as unsigned), the type of MNIST's images and labels. */
    public static IdxArray unsignedBytes(byte[] values, int... dims) {
        return of(Type.UNSIGNED_BYTE, values, dims);
    }

    /** 32-bit floats. */
    public static IdxArray floats(float[] values, int... dims) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.BIG_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return of(Type.FLOAT, b.array(), dims);
    }

    static void checkDims(int[] dims) {
        Objects.requireNonNull(dims, "IdxArray: the dimensions must not be null");
        if (dims.length == 0 || dims.length > 255) {
            throw new ShapeException("IdxArray: an IDX array has 1 to 255 dimensions, got " + dims.length);
        }
        for (int d : dims) {
            if (d < 0) {
                throw new ShapeException("IdxArray: negative dimension in " + Arrays.toString(dims));
            }
        }
    }

    static long elements(int[] dims) {
        long n = 1;
        for (int d : dims) {
            n *= d;
            if (n > Integer.MAX_VALUE) {
                return Long.MAX_VALUE / 16;
            }
        }
        return n;
    }

    public Type type() {
        return type;
    }

    /** The dimensions (a copy). */
    public int[] dims() {
        return dims.clone();
    }

    /** The number of elements. */
    public int count() {
        return count;
    }

    /** Element {@code i} (row-major) as a double; unsigned bytes give 0..255. */
    public double get(int i) {
        Objects.checkIndex(i, count);
        return switch (type) {
            case UNSIGNED_BYTE -> data[i] & 0xFF;
            case SIGNED_BYTE -> data[i];
            case SHORT -> (short) (((data[2 * i] & 0xFF) << 8) | (data[2 * i + 1] & 0xFF));
            case INT -> intAt(4 * i);
            case FLOAT -> Float.intBitsToFloat(intAt(4 * i));
            case DOUBLE -> Double.longBitsToDouble(((long) intAt(8 * i) << 32) | (intAt(8 * i + 4) & 0xFFFFFFFFL));
        };
    }

    private int intAt(int p) {
        return ((data[p] & 0xFF) << 24) | ((data[p + 1] & 0xFF) << 16) | ((data[p + 2] & 0xFF) << 8)
                | (data[p + 3] & 0xFF);
    }

    /** The elements' big-endian bytes (a copy). */
    public byte[] bytes() {
        return data.clone();
    }

    byte[] rawBytes() {
        return data;
    }

    /**
     * The elements as a tensor of this array's shape: FLOAT32 or FLOAT64 for any type, INT64 for the integer types.
     *
     * @throws DTypeException for INT64 from FLOAT or DOUBLE data, or for BOOL
     */
    public Tensor toTensor(DType dtype) {
        Objects.requireNonNull(dtype, "IdxArray.toTensor: the dtype must not be null");
        switch (dtype) {
            case FLOAT32: {
                float[] v = new float[count];
                for (int i = 0; i < count; i++) {
                    v[i] = (float) get(i);
                }
                return Ember.fromArray(v, dims);
            }
            case FLOAT64: {
                double[] v = new double[count];
                for (int i = 0; i < count; i++) {
                    v[i] = get(i);
                }
                return Ember.fromArray(v, dims);
            }
            case INT64: {
                if (!type.isIntegral()) {
                    throw new DTypeException("IdxArray.toTensor: the IDX data are " + type + "; convert them to "
                            + "FLOAT32 or FLOAT64, not INT64");
                }
                long[] v = new long[count];
                for (int i = 0; i < count; i++) {
                    v[i] = (long) get(i);
                }
                return Ember.fromArray(v, dims);
            }
            default:
                throw new DTypeException("IdxArray.toTensor: cannot convert IDX data to " + dtype
                        + "; use FLOAT32, FLOAT64 or INT64");
        }
    }

    @Override
    public String toString() {
        return "IdxArray(" + type + ", dims=" + Arrays.toString(dims) + ")";
    }

    static EmberException tooLarge(String source, int[] dims, Type type) {
        return new EmberException("IDX file " + source + ": dimensions " + Arrays.toString(dims) + " of " + type
                + " hold more than " + Integer.MAX_VALUE + " bytes, more than one Java array can hold; the header is"
                + " probably corrupt");
    }
}
