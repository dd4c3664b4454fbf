package dev.ember.autograd;

import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.Tensor;

/**
 * The packed form of {@link SavedTensorHooks#float16()}: IEEE 754 binary16 bits (round to nearest even),
 * with the tensor's shape and dtype. Integer and bool tensors are kept as they are.
 *
 * <pre>{@code
 * Object p = Float16.PACK.pack(x);
 * Tensor back = Float16.UNPACK.unpack(p);   // x to about 3 significant digits
 * }</pre>
 */
final class Float16 {
    record Packed(short[] bits, int[] shape, DType dtype) {
    }

    static final SavedTensorHooks.Pack PACK = t -> {
        if (!t.dtype().isFloatingPoint()) {
            return t;
        }
        float[] v = t.toFloatArray();
        short[] bits = new short[v.length];
        for (int i = 0; i < v.length; i++) {
            bits[i] = toHalf(v[i]);
        }
        return new Packed(bits, t.shape(), t.dtype());
    };

    static final SavedTensorHooks.Unpack UNPACK = p -> {
        if (p instanceof Tensor t) {
            return t;
        }
        Packed h = (Packed) p;
        float[] v = new float[h.bits().length];
        for (int i = 0; i < v.length; i++) {
            v[i] = toFloat(h.bits()[i]);
        }
        return Ember.fromArray(v, h.shape()).to(h.dtype());
    };

    private Float16() {
    }

    /** float32 to binary16, rounding to nearest even; overflow gives infinity, NaN stays NaN. */
    static short toHalf(float f) {
        int x = Float.floatToRawIntBits(f);
        int sign = (x >>> 16) & 0x8000;
        int exp = (x >>> 23) & 0xff;
        int mant = x & 0x7fffff;
        if (exp == 0xff) {
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            mant |= 0x800000;
            int shift = 14 - e;
            int half = mant >>> shift;
            int rest = mant & ((1 << shift) - 1);
            int mid = 1 << (shift - 1);
            if (rest > mid || (rest == mid && (half & 1) == 1)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (e << 10) | (mant >>> 13);
        int rest = mant & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
            half++;
        }
        return (short) (sign | half);
    }

    static float toFloat(short h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }
}
