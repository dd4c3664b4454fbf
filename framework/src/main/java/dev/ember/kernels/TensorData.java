package dev.ember.kernels;

import dev.ember.DType;

import java.util.Arrays;

/**
 * A strided view of a {@link Storage}: offset, shape and strides (in elements), like PyTorch's TensorImpl.
 * A tensor and its views (transpose, narrow, select, expand, ...) share one storage and so one version counter.
 *
 * <pre>{@code
 * TensorData m = TensorData.contiguous(Storage.allocate(DType.FLOAT32, 6), 2, 3);
 * TensorData t = m.transpose(0, 1);   // shape [3, 2], strides [1, 3], same storage
 * assert !t.isContiguous() && t.storage() == m.storage();
 * }</pre>
 *
 * <p>Instances are immutable; shape and stride arrays are never modified after construction and must not be
 * modified by callers.
 */
public final class TensorData {
    private final Storage storage;
    private final int offset;
    private final int[] shape;
    private final int[] strides;
    private final int numel;
    private final boolean contiguous;

    public TensorData(Storage storage, int offset, int[] shape, int[] strides) {
        this.storage = storage;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
        this.numel = Shapes.numel(shape);
        this.contiguous = Arrays.equals(strides, Shapes.contiguousStrides(shape)) || numel <= 1
                || Shapes.isContiguousIgnoringUnitDims(shape, strides);
    }

    /** A contiguous row-major view of the whole storage. */
    public static TensorData contiguous(Storage storage, int... shape) {
        return new TensorData(storage, 0, shape, Shapes.contiguousStrides(shape));
    }

    /** A fresh zero-filled contiguous tensor. */
    public static TensorData zeros(DType dtype, int... shape) {
        return contiguous(Storage.allocate(dtype, Shapes.numel(shape)), shape);
    }

    public Storage storage() {
        return storage;
    }

    public DType dtype() {
        return storage.dtype();
    }

    public int offset() {
        return offset;
    }

    /** The shape; callers must not modify the returned array. */
    public int[] shape() {
        return shape;
    }

    /** The strides in elements; callers must not modify the returned array. */
    public int[] strides() {
        return strides;
    }

    public int dim() {
        return shape.length;
    }

    public int size(int d) {
        return shape[d];
    }

    public int numel() {
        return numel;
    }

    /** True when the elements are laid out row-major without gaps from {@link #offset()}. */
    public boolean isContiguous() {
        return contiguous;
    }

    // ---- views (no data is copied) -------------------------------------------------------------------------

    public TensorData transpose(int d0, int d1) {
        int[] s = shape.clone();
        int[] st = strides.clone();
        s[d0] = shape[d1];
        s[d1] = shape[d0];
        st[d0] = strides[d1];
        st[d1] = strides[d0];
        return new TensorData(storage, offset, s, st);
    }

    public TensorData permute(int[] dims) {
        int[] s = new int[dims.length];
        int[] st = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            s[i] = shape[dims[i]];
            st[i] = strides[dims[i]];
        }
        return new TensorData(storage, offset, s, st);
    }

    /** A view with a new shape, or null when the strides do not allow one (the caller then copies). */
    public TensorData viewAs(int[] newShape) {
        if (contiguous) {
            return new TensorData(storage, offset, newShape, Shapes.contiguousStrides(newShape));
        }
        int[] st = Shapes.viewStrides(shape, strides, newShape);
        return st == null ? null : new TensorData(storage, offset, newShape, st);
    }

    public TensorData narrow(int d, int start, int length) {
        int[] s = shape.clone();
        s[d] = length;
        return new TensorData(storage, offset + start * strides[d], s, strides);
    }

    /** Elements start, start+step, ... below end along dimension d. */
    public TensorData slice(int d, int start, int end, int step) {
        int[] s = shape.clone();
        int[] st = strides.clone();
        s[d] = end <= start ? 0 : (end - start + step - 1) / step;
        st[d] = strides[d] * step;
        return new TensorData(storage, offset + start * strides[d], s, st);
    }

    public TensorData select(int d, int index) {
        return new TensorData(storage, offset + index * strides[d], Shapes.remove(shape, d), Shapes.remove(strides, d));
    }

    public TensorData unsqueeze(int d) {
        int st = d < shape.length ? shape[d] * strides[d] : 1;
        return new TensorData(storage, offset, Shapes.insert(shape, d, 1), Shapes.insert(strides, d, st));
    }

    public TensorData squeeze(int d) {
        return new TensorData(storage, offset, Shapes.remove(shape, d), Shapes.remove(strides, d));
    }

    /** Broadcasts to {@code target} (already validated) with zero strides on the new and expanded dimensions. */
    public TensorData expand(int[] target) {
        int[] st = new int[target.length];
        int lead = target.length - shape.length;
        for (int i = 0; i < target.length; i++) {
            int j = i - lead;
            st[i] = j < 0 || (shape[j] == 1 && target[i] != 1) ? 0 : strides[j];
        }
        return new TensorData(storage, offset, target, st);
    }

    /** Same elements and storage under another shape object (for detach and other aliases). */
    public TensorData alias() {
        return new TensorData(storage, offset, shape, strides);
    }

    @Override
    public String toString() {
        return "TensorData" + Arrays.toString(shape) + " " + dtype() + " strides=" + Arrays.toString(strides)
                + " offset=" + offset;
    }
}
