package dev.ember.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.autograd.ForwardAD;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The in-place kernels on random layouts (permuted, sliced with steps, broadcast, up to four dimensions, some large
 * enough for several tiles) against the out-of-place ops: the values must be equal bit for bit, since both round
 * every operation to the tensor's dtype in the same order, and no element outside the view may change.
 */
class InPlaceKernelsTest {
    private static final int CASES = 300;

    /** One in-place op and the same computed out of place (from the destination's current value). */
    private record Case(String name, int sources, BiFunction<Tensor, Tensor[], Tensor> inPlace,
                        BiFunction<Tensor, Tensor[], Tensor> outOfPlace) {
    }

    private static final List<Case> OPS = List.of(
            new Case("add_", 1, (d, o) -> d.add_(o[0]), (d, o) -> d.add(o[0])),
            new Case("add_ alpha", 1, (d, o) -> d.add_(o[0], -0.375), (d, o) -> d.add(o[0].mul(-0.375))),
            new Case("sub_", 1, (d, o) -> d.sub_(o[0]), (d, o) -> d.sub(o[0])),
            new Case("mul_", 1, (d, o) -> d.mul_(o[0]), (d, o) -> d.mul(o[0])),
            new Case("div_", 1, (d, o) -> d.div_(o[0]), (d, o) -> d.div(o[0])),
            new Case("copy_", 1, (d, o) -> d.copy_(o[0]), (d, o) -> o[0].expand(d.shape()).clone()),
            new Case("lerp_", 1, (d, o) -> d.lerp_(o[0], 0.3), (d, o) -> d.add(o[0].sub(d).mul(0.3))),
            new Case("addcmul_", 2, (d, o) -> d.addcmul_(o[0], o[1], 0.5), (d, o) -> d.add(o[0].mul(0.5).mul(o[1]))),
            new Case("addcdiv_", 2, (d, o) -> d.addcdiv_(o[0], o[1], 1.5), (d, o) -> d.add(o[0].mul(1.5).div(o[1]))),
            new Case("mul_ scalar", 0, (d, o) -> d.mul_(0.75), (d, o) -> d.mul(0.75)),
            new Case("clamp_", 0, (d, o) -> d.clamp_(-0.5, 0.25), (d, o) -> d.clamp(-0.5, 0.25)),
            new Case("neg_", 0, (d, o) -> d.neg_(), (d, o) -> d.neg()));

    @Test
    void randomLayoutsGiveTheOutOfPlaceValues() {
        Random rnd = new Random(20240701);
        int differentLayouts = 0;
        try (var g = Ember.noGrad()) {
            for (int c = 0; c < CASES; c++) {
                DType dtype = rnd.nextBoolean() ? DType.FLOAT32 : DType.FLOAT64;
                Case op = OPS.get(rnd.nextInt(OPS.size()));
                int rank = 1 + rnd.nextInt(4);
                boolean large = rank == 2 && rnd.nextInt(4) == 0;
                int[] shape = new int[rank];
                for (int i = 0; i < rank; i++) {
                    shape[i] = large ? 60 + rnd.nextInt(80) : 1 + rnd.nextInt(7);
                }
                Layout layout = layout(rnd, shape);
                Tensor base = Ember.randn(layout.baseShape()).to(dtype);
                Tensor dst = layout.of(base);
                Tensor[] sources = new Tensor[op.sources()];
                for (int i = 0; i < sources.length; i++) {
                    sources[i] = source(rnd, shape, dtype, op.name().equals("addcdiv_") && i == 1);
                    differentLayouts += sources[i].dim() == rank && !sources[i].isContiguous() ? 1 : 0;
                }
                Tensor expected = op.outOfPlace().apply(dst, sources);
                Tensor expectedBase = base.clone();
                try (var level = ForwardAD.dualLevel()) {   // written by the general path, not by the kernels
                    layout.of(expectedBase).copy_(expected);
                }
                int version = base.version();
                op.inPlace().apply(dst, sources);
                String what = op.name() + " " + dtype + " " + Arrays.toString(shape) + " (case " + c + ")";
                assertArrayEquals(expected.toDoubleArray(), dst.toDoubleArray(), 0.0, what);
                assertArrayEquals(expectedBase.toDoubleArray(), base.toDoubleArray(), 0.0,
                        what + ": the elements outside the view must be untouched");
                assertEquals(version + 1, base.version(), what + ": one version bump");
            }
        }
        assertTrue(differentLayouts > 50, "cases with a source laid out unlike its destination: " + differentLayouts);
    }

    /** A view of a base tensor: a permutation of the base sliced with steps. */
    private record Layout(int[] baseShape, int[] start, int[] step, int[] size, int[] perm) {
        Tensor of(Tensor base) {
            Tensor v = base;
            for (int d = 0; d < baseShape.length; d++) {
                v = v.slice(d, start[d], baseShape[d], step[d]).narrow(d, 0, size[d]);
            }
            return v.permute(perm);
        }
    }

    /** A layout whose view has the given shape: view dimension i is base dimension perm[i]. */
    private static Layout layout(Random rnd, int[] shape) {
        int rank = shape.length;
        int[] perm = permutation(rnd, rank);
        int[] baseShape = new int[rank];
        int[] start = new int[rank];
        int[] step = new int[rank];
        int[] size = new int[rank];
        for (int i = 0; i < rank; i++) {
            int d = perm[i];
            size[d] = shape[i];
            step[d] = 1 + rnd.nextInt(2);
            start[d] = rnd.nextInt(2);
            baseShape[d] = start[d] + (shape[i] - 1) * step[d] + 1 + rnd.nextInt(2);
        }
        return new Layout(baseShape, start, step, size, perm);
    }

    /** A source that broadcasts to shape: contiguous, permuted, broadcast (size-1 or missing dimensions) or 0-d. */
    private static Tensor source(Random rnd, int[] shape, DType dtype, boolean awayFromZero) {
        Tensor t;
        switch (rnd.nextInt(4)) {
            case 0 -> t = Ember.randn(shape).to(dtype);
            case 1 -> {
                Layout l = layout(rnd, shape);
                t = l.of(Ember.randn(l.baseShape()).to(dtype));
            }
            case 2 -> {
                int drop = rnd.nextInt(shape.length);
                int[] s = Arrays.copyOfRange(shape, drop, shape.length);
                for (int i = 0; i < s.length; i++) {
                    s[i] = rnd.nextInt(3) == 0 ? 1 : s[i];
                }
                t = Ember.randn(s).to(dtype);
            }
            default -> t = Ember.randn().to(dtype);
        }
        return awayFromZero ? t.abs().add(0.5) : t;
    }

    private static int[] permutation(Random rnd, int n) {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(i);
        }
        Collections.shuffle(l, rnd);
        return l.stream().mapToInt(Integer::intValue).toArray();
    }
}
