package dev.ember.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.ember.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every GEMM route (the Java loops, the native BLAS on the arrays in place, ND4J's GEMM) on operands of every layout
 * the kernels meet: contiguous, transposed, sliced (a leading dimension wider than the rows), at an offset in their
 * storage, ending at the storage's last element, expanded (stride 0) and batched with a broadcast batch; products
 * that accumulate onto a bias (linear); empty dimensions. Each against a plain triple loop in double precision.
 */
class GemmTest {
    private static final Random RANDOM = new Random(7);

    /** A named way of making an [rows, cols] operand from random storage. */
    private record Layout(String name, Function<int[], TensorData> make) {
    }

    private static TensorData random(DType dtype, int... shape) {
        TensorData t = TensorData.zeros(dtype, shape);
        for (int i = 0; i < t.numel(); i++) {
            t.storage().set(i, Math.round((RANDOM.nextDouble() * 4 - 2) * 64) / 64.0);
        }
        return t;
    }

    private static List<Layout> layouts(DType dtype) {
        return List.of(
                new Layout("contiguous", s -> random(dtype, s[0], s[1])),
                new Layout("transposed", s -> random(dtype, s[1], s[0]).transpose(0, 1)),
                new Layout("rows of a wider matrix", s -> random(dtype, s[0] + 2, s[1] + 3).narrow(1, 1, s[1])
                        .narrow(0, 1, s[0])),
                new Layout("last columns (ends at the storage's end)", s -> random(dtype, s[0], s[1] + 3)
                        .narrow(1, 3, s[1])),
                new Layout("columns of a transposed wider matrix", s -> random(dtype, s[1] + 2, s[0] + 1)
                        .transpose(0, 1).narrow(0, 1, s[0]).narrow(1, 2, s[1])),
                new Layout("expanded rows", s -> random(dtype, 1, s[1]).expand(new int[] {s[0], s[1]})),
                new Layout("every other column", s -> random(dtype, s[0], 2 * s[1]).slice(1, 0, 2 * s[1], 2)));
    }

    private static double[] reference(TensorData a, TensorData b, TensorData bias) {
        int m = a.size(0);
        int k = a.size(1);
        int n = b.size(1);
        double[] x = Kernels.toDoubles(a);
        double[] y = Kernels.toDoubles(b);
        double[] z = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = bias == null ? 0 : bias.storage().get(bias.offset() + j * bias.strides()[0]);
                for (int p = 0; p < k; p++) {
                    s += x[i * k + p] * y[p * n + j];
                }
                z[i * n + j] = s;
            }
        }
        return z;
    }

    private static void assertProduct(double[] expected, TensorData actual, DType dtype, String what) {
        assertTrue(actual.isContiguous(), what + ": the result is contiguous");
        double[] got = Kernels.toDoubles(actual);
        assertEquals(expected.length, got.length, what + ": size");
        for (int i = 0; i < expected.length; i++) {
            double tol = dtype == DType.FLOAT64 ? 1e-12 * (1 + Math.abs(expected[i])) : 1e-4 * (1 + Math.abs(expected[i]));
            if (Math.abs(expected[i] - got[i]) > tol) {
                throw new AssertionError(what + ": element " + i + " is " + got[i] + ", expected " + expected[i]);
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> everyRouteOnEveryLayout() {
        List<DynamicTest> tests = new ArrayList<>();
        int[][] shapes = {{5, 7, 3}, {1, 9, 4}, {6, 1, 5}, {4, 6, 1}, {33, 40, 29}};
        for (Gemm.Route route : Gemm.routes()) {
            for (DType dtype : List.of(DType.FLOAT64, DType.FLOAT32)) {
                for (Layout la : layouts(dtype)) {
                    for (Layout lb : layouts(dtype)) {
                        String name = route + " " + dtype + " a " + la.name() + ", b " + lb.name();
                        tests.add(DynamicTest.dynamicTest(name, () -> {
                            try (Gemm.Scope s = Gemm.force(route)) {
                                for (int[] mkn : shapes) {
                                    TensorData a = la.make().apply(new int[] {mkn[0], mkn[1]});
                                    TensorData b = lb.make().apply(new int[] {mkn[1], mkn[2]});
                                    String what = name + " " + mkn[0] + "x" + mkn[1] + "x" + mkn[2];
                                    assertProduct(reference(a, b, null), Kernels.mm(a, b), dtype, what);
                                    // the same product as a linear layer onto a bias: w = bᵀ, C starts at the bias
                                    TensorData bias = random(dtype, 2 * mkn[2]).slice(0, 1, 2 * mkn[2], 2);
                                    assertProduct(reference(a, b, bias), Kernels.linear(a, b.transpose(0, 1), bias),
                                            dtype, what + " linear");
                                }
                            }
                        }));
                    }
                }
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> batchedProductsWithABroadcastBatch() {
        return Gemm.routes().stream().map(route -> DynamicTest.dynamicTest(route.toString(), () -> {
            try (Gemm.Scope s = Gemm.force(route)) {
                TensorData a = random(DType.FLOAT64, 3, 8, 6);
                TensorData b = random(DType.FLOAT64, 1, 6, 5).expand(new int[] {3, 6, 5});   // batch stride 0
                TensorData c = Kernels.bmm(a, b);
                for (int i = 0; i < 3; i++) {
                    assertProduct(reference(a.select(0, i), b.select(0, i), null), Kernels.contiguous(c.select(0, i)),
                            DType.FLOAT64, route + " batch " + i);
                }
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> emptyDimensions() {
        return Gemm.routes().stream().map(route -> DynamicTest.dynamicTest(route.toString(), () -> {
            try (Gemm.Scope s = Gemm.force(route)) {
                TensorData a = random(DType.FLOAT32, 3, 0);
                TensorData b = random(DType.FLOAT32, 0, 4);
                assertArrayEquals(new double[12], Kernels.toDoubles(Kernels.mm(a, b)), route + ": k = 0 gives zeros");
                TensorData bias = random(DType.FLOAT32, 4);
                assertProduct(reference(a, b, bias), Kernels.linear(a, b.transpose(0, 1), bias), DType.FLOAT32,
                        route + ": k = 0 onto a bias gives the bias");
                assertArrayEquals(new int[] {0, 4}, Kernels.mm(random(DType.FLOAT32, 0, 5),
                        random(DType.FLOAT32, 5, 4)).shape(), route + ": m = 0");
            }
        }));
    }

    @Test
    void forcingTheNativeRouteWhereItIsMissingSaysSo() {
        assumeFalse(Gemm.nativeAvailable(), "the native BLAS is available here");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Gemm.force(Gemm.Route.NATIVE));
        assertTrue(e.getMessage().contains("nativeAvailable"), e.getMessage());
    }

    @Test
    void aScopeRestoresTheRouteBeforeIt() {
        TensorData a = random(DType.FLOAT64, 2, 3);
        TensorData b = random(DType.FLOAT64, 3, 2);
        assertEquals(Gemm.Route.AUTO, Gemm.route());
        try (Gemm.Scope outer = Gemm.force(Gemm.Route.ND4J)) {
            try (Gemm.Scope inner = Gemm.force(Gemm.Route.JAVA)) {
                assertEquals(Gemm.Route.JAVA, Gemm.route());
                assertProduct(reference(a, b, null), Kernels.mm(a, b), DType.FLOAT64, "inner");
            }
            assertEquals(Gemm.Route.ND4J, Gemm.route());
        }
        assertEquals(Gemm.Route.AUTO, Gemm.route());
    }
}
