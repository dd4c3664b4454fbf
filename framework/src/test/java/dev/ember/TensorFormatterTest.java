package dev.ember;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Every expected string below is the {@code repr} printed by real PyTorch (Debian's python3-torch 1.13,
 * {@code torch/_tensor_str.py} as in 1.13.1), shown in the comment together with the Python that produced it. The
 * only edits are in the suffixes: {@code True} becomes {@code true}, {@code torch.float64} becomes {@code float64}
 * and the trailing digit of PyTorch's grad_fn names is dropped ({@code SumBackward0} becomes {@code SumBackward}).
 * Element values are the tensor's elements widened to double (for float32, the exact float value).
 *
 * <p>Helpers used in the Python of the large cases:
 * <pre>
 * def ramp(n, a, b): return [i * a + b for i in range(n)]
 * def mod(xs, m): return [x % m for x in xs]
 * def lcg(n, seed):
 *     s = seed; out = []
 *     for _ in range(n):
 *         s = (s * 1103515245 + 12345) % 2147483648
 *         out.append((s % 20001 - 10000) / 1000.0)
 *     return out
 * </pre>
 */
class TensorFormatterTest {

    private static final double NaN = Double.NaN;
    private static final double INF = Double.POSITIVE_INFINITY;

    private static void check(String expected, double[] values, int[] shape, DType dtype, String suffix) {
        assertEquals(expected, TensorFormatter.format(values, shape, dtype, suffix));
    }

    /** Rounds each value to float32, as {@code torch.tensor(list_of_python_floats)} does. */
    private static double[] f32(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    private static double[] ramp(int n, double a, double b) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = i * a + b;
        }
        return out;
    }

    private static double[] mod(double[] values, double m) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] % m; // the values are non-negative: Java's % agrees with Python's
        }
        return out;
    }

    private static double[] lcg(int n, long seed) {
        double[] out = new double[n];
        long s = seed;
        for (int i = 0; i < n; i++) {
            s = (s * 1103515245L + 12345L) % 2147483648L;
            out[i] = (s % 20001 - 10000) / 1000.0;
        }
        return out;
    }

    @Test
    void rejectsValuesThatDoNotMatchTheShape() {
        assertThrows(IllegalArgumentException.class,
                () -> TensorFormatter.format(new double[] {1, 2, 3}, new int[] {2, 2}, DType.FLOAT32, null));
    }

    @Test
    void pythonRoundingOfSingleNumbers() {
        // '{:.4f}'.format(x) and '{:.4e}'.format(x) in Python
        assertEquals("0.1000", TensorFormatter.fixed((float) 0.1, 4));
        assertEquals("0.0312", TensorFormatter.fixed(0.03125, 4));
        assertEquals("-0.0000", TensorFormatter.fixed(-0.00001, 4));
        assertEquals("1.0312e+00", TensorFormatter.sci(1.03125));
        assertEquals("1.0000e+01", TensorFormatter.sci(9.99996));
        assertEquals("-1.5000e+20", TensorFormatter.sci(-1.5e20));
        assertEquals("4.9407e-324", TensorFormatter.sci(Double.MIN_VALUE));
        assertEquals("1.7977e+308", TensorFormatter.sci(Double.MAX_VALUE));
        assertEquals("0.0000e+00", TensorFormatter.sci(0.0));
        assertEquals("-0.0000e+00", TensorFormatter.sci(-0.0));
    }

    @Test
    void seedRequiresGrad() {
        // t = torch.tensor([3., 4.], requires_grad=True); repr(t)
        // tensor([3., 4.], requires_grad=True)
        check("tensor([3., 4.], requires_grad=true)",
                new double[] {3.0, 4.0}, new int[] {2}, DType.FLOAT32, "requires_grad=true");
    }

    @Test
    void seedSumScalar() {
        // t = (torch.tensor([3., 4.], requires_grad=True) + torch.tensor([1., 3.])).sum(); repr(t)
        // tensor(11., grad_fn=<SumBackward0>)
        check("tensor(11., grad_fn=<SumBackward>)",
                new double[] {11.0}, new int[] {}, DType.FLOAT32, "grad_fn=<SumBackward>");
    }

    @Test
    void seedRandnRequiresGrad() {
        // torch.manual_seed(0); t = torch.randn(3, requires_grad=True); repr(t)
        // tensor([ 1.5410, -0.2934, -2.1788], requires_grad=True)
        check("tensor([ 1.5410, -0.2934, -2.1788], requires_grad=true)",
                new double[] {1.5409960746765137, -0.293428897857666, -2.1787893772125244}, new int[] {3}, DType.FLOAT32, "requires_grad=true");
    }

    @Test
    void seedRandnTimesTwo() {
        // torch.manual_seed(0); t = (torch.randn(3) * 2); repr(t)
        // tensor([ 3.0820, -0.5869, -4.3576])
        check("tensor([ 3.0820, -0.5869, -4.3576])",
                new double[] {3.0819921493530273, -0.586857795715332, -4.357578754425049}, new int[] {3}, DType.FLOAT32, null);
    }

    @Test
    void seedPow() {
        // t = torch.tensor([3.], requires_grad=True).pow(2); repr(t)
        // tensor([9.], grad_fn=<PowBackward0>)
        check("tensor([9.], grad_fn=<PowBackward>)",
                new double[] {9.0}, new int[] {1}, DType.FLOAT32, "grad_fn=<PowBackward>");
    }

    @Test
    void seedScalarNonIntegral() {
        // t = torch.tensor([3.2274, 4.], requires_grad=True).sum(); repr(t)
        // tensor(7.2274, grad_fn=<SumBackward0>)
        check("tensor(7.2274, grad_fn=<SumBackward>)",
                new double[] {7.227399826049805}, new int[] {}, DType.FLOAT32, "grad_fn=<SumBackward>");
    }

    @Test
    void oneDimIntegral() {
        // t = torch.tensor([1., 2., 3.]); repr(t)
        // tensor([1., 2., 3.])
        check("tensor([1., 2., 3.])",
                new double[] {1.0, 2.0, 3.0}, new int[] {3}, DType.FLOAT32, null);
    }

    @Test
    void oneDimFloat32Tenths() {
        // t = torch.tensor([0.1, 0.2, 0.3]); repr(t)
        // tensor([0.1000, 0.2000, 0.3000])
        check("tensor([0.1000, 0.2000, 0.3000])",
                new double[] {0.10000000149011612, 0.20000000298023224, 0.30000001192092896}, new int[] {3}, DType.FLOAT32, null);
    }

    @Test
    void negativeValues() {
        // t = torch.tensor([-1.5, 2.25, -0.125, 10.]); repr(t)
        // tensor([-1.5000,  2.2500, -0.1250, 10.0000])
        check("tensor([-1.5000,  2.2500, -0.1250, 10.0000])",
                new double[] {-1.5, 2.25, -0.125, 10.0}, new int[] {4}, DType.FLOAT32, null);
    }

    @Test
    void twoDim() {
        // t = torch.arange(6.).reshape(2, 3) - 2; repr(t)
        // tensor([[-2., -1.,  0.],
        //         [ 1.,  2.,  3.]])
        check("tensor([[-2., -1.,  0.],\n        [ 1.,  2.,  3.]])",
                new double[] {-2.0, -1.0, 0.0, 1.0, 2.0, 3.0}, new int[] {2, 3}, DType.FLOAT32, null);
    }

    @Test
    void twoDimRandn() {
        // torch.manual_seed(1); t = torch.randn(3, 4); repr(t)
        // tensor([[ 0.6614,  0.2669,  0.0617,  0.6213],
        //         [-0.4519, -0.1661, -1.5228,  0.3817],
        //         [-1.0276, -0.5631, -0.8923, -0.0583]])
        check("tensor([[ 0.6614,  0.2669,  0.0617,  0.6213],\n        [-0.4519, -0.1661, -1.5228,  0.3817],\n        [-1.0276, -0.5631, -0.8923, -0.0583]])",
                new double[] {0.6613521575927734, 0.266924113035202, 0.06167725846171379, 0.6213173270225525, -0.4519059658050537, -0.16613022983074188, -1.522768497467041, 0.38168391585350037, -1.0276086330413818, -0.563052773475647, -0.8922905325889587, -0.05825017765164375}, new int[] {3, 4}, DType.FLOAT32, null);
    }

    @Test
    void threeDim() {
        // t = torch.arange(-12., 12.).reshape(2, 3, 4); repr(t)
        // tensor([[[-12., -11., -10.,  -9.],
        //          [ -8.,  -7.,  -6.,  -5.],
        //          [ -4.,  -3.,  -2.,  -1.]],
        //
        //         [[  0.,   1.,   2.,   3.],
        //          [  4.,   5.,   6.,   7.],
        //          [  8.,   9.,  10.,  11.]]])
        check("tensor([[[-12., -11., -10.,  -9.],\n         [ -8.,  -7.,  -6.,  -5.],\n         [ -4.,  -3.,  -2.,  -1.]],\n\n        [[  0.,   1.,   2.,   3.],\n         [  4.,   5.,   6.,   7.],\n         [  8.,   9.,  10.,  11.]]])",
                new double[] {-12.0, -11.0, -10.0, -9.0, -8.0, -7.0, -6.0, -5.0, -4.0, -3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0}, new int[] {2, 3, 4}, DType.FLOAT32, null);
    }

    @Test
    void threeDimRandn() {
        // torch.manual_seed(2); t = torch.randn(2, 2, 3); repr(t)
        // tensor([[[ 0.3923, -0.2236, -0.3195],
        //          [-1.2050,  1.0445, -0.6332]],
        //
        //         [[ 0.5731,  0.5409, -0.3919],
        //          [-1.0427,  1.3186,  0.7476]]])
        check("tensor([[[ 0.3923, -0.2236, -0.3195],\n         [-1.2050,  1.0445, -0.6332]],\n\n        [[ 0.5731,  0.5409, -0.3919],\n         [-1.0427,  1.3186,  0.7476]]])",
                new double[] {0.39229682087898254, -0.223564013838768, -0.31950026750564575, -1.2050371170043945, 1.0444635152816772, -0.6332277059555054, 0.5731067657470703, 0.540947437286377, -0.39190584421157837, -1.0426788330078125, 1.318617343902588, 0.747639000415802}, new int[] {2, 2, 3}, DType.FLOAT32, null);
    }

    @Test
    void fourDim() {
        // t = torch.arange(16.).reshape(2, 2, 2, 2) / 4; repr(t)
        // tensor([[[[0.0000, 0.2500],
        //           [0.5000, 0.7500]],
        //
        //          [[1.0000, 1.2500],
        //           [1.5000, 1.7500]]],
        //
        //
        //         [[[2.0000, 2.2500],
        //           [2.5000, 2.7500]],
        //
        //          [[3.0000, 3.2500],
        //           [3.5000, 3.7500]]]])
        check("tensor([[[[0.0000, 0.2500],\n          [0.5000, 0.7500]],\n\n         [[1.0000, 1.2500],\n          [1.5000, 1.7500]]],\n\n\n        [[[2.0000, 2.2500],\n          [2.5000, 2.7500]],\n\n         [[3.0000, 3.2500],\n          [3.5000, 3.7500]]]])",
                new double[] {0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.25, 2.5, 2.75, 3.0, 3.25, 3.5, 3.75}, new int[] {2, 2, 2, 2}, DType.FLOAT32, null);
    }

    @Test
    void sciSmallAndLarge() {
        // t = torch.tensor([1e-5, 1e3]); repr(t)
        // tensor([1.0000e-05, 1.0000e+03])
        check("tensor([1.0000e-05, 1.0000e+03])",
                new double[] {9.999999747378752e-06, 1000.0}, new int[] {2}, DType.FLOAT32, null);
    }

    @Test
    void sciTinyMin() {
        // t = torch.tensor([0.00005, 0.5, -0.25]); repr(t)
        // tensor([ 5.0000e-05,  5.0000e-01, -2.5000e-01])
        check("tensor([ 5.0000e-05,  5.0000e-01, -2.5000e-01])",
                new double[] {4.999999873689376e-05, 0.5, -0.25}, new int[] {3}, DType.FLOAT32, null);
    }

    @Test
    void sciRatioIntegral() {
        // t = torch.tensor([1., 2000., -3.]); repr(t)
        // tensor([ 1.0000e+00,  2.0000e+03, -3.0000e+00])
        check("tensor([ 1.0000e+00,  2.0000e+03, -3.0000e+00])",
                new double[] {1.0, 2000.0, -3.0}, new int[] {3}, DType.FLOAT32, null);
    }

    @Test
    void sciIntegralAbove1e8() {
        // t = torch.tensor([123456789., 200000000.]); repr(t)
        // tensor([1.2346e+08, 2.0000e+08])
        check("tensor([1.2346e+08, 2.0000e+08])",
                new double[] {123456792.0, 200000000.0}, new int[] {2}, DType.FLOAT32, null);
    }

    @Test
    void sciHugeAndNegative() {
        // t = torch.tensor([-1.5e20, 3.25e-3, 7.]); repr(t)
        // tensor([-1.5000e+20,  3.2500e-03,  7.0000e+00])
        check("tensor([-1.5000e+20,  3.2500e-03,  7.0000e+00])",
                new double[] {-1.500000030061316e+20, 0.0032500000670552254, 7.0}, new int[] {3}, DType.FLOAT32, null);
    }

    @Test
    void largeIntegralFloats() {
        // t = torch.tensor([100000., 12345678., -99999.]); repr(t)
        // tensor([  100000., 12345678.,   -99999.])
        check("tensor([  100000., 12345678.,   -99999.])",
                new double[] {100000.0, 12345678.0, -99999.0}, new int[] {3}, DType.FLOAT32, null);
    }

    @Test
    void nanInfFixed() {
        // t = torch.tensor([1.5, nan, inf, -inf]); repr(t)
        // tensor([1.5000,    nan,    inf,   -inf])
        check("tensor([1.5000,    nan,    inf,   -inf])",
                new double[] {1.5, NaN, INF, -INF}, new int[] {4}, DType.FLOAT32, null);
    }

    @Test
    void nanInfIntMode() {
        // t = torch.tensor([1., nan, -inf, 20.]); repr(t)
        // tensor([ 1., nan, -inf, 20.])
        check("tensor([ 1., nan, -inf, 20.])",
                new double[] {1.0, NaN, -INF, 20.0}, new int[] {4}, DType.FLOAT32, null);
    }

    @Test
    void nanInfSci() {
        // t = torch.tensor([1e-6, nan, -inf, 3.]); repr(t)
        // tensor([1.0000e-06,        nan,       -inf, 3.0000e+00])
        check("tensor([1.0000e-06,        nan,       -inf, 3.0000e+00])",
                new double[] {9.999999974752427e-07, NaN, -INF, 3.0}, new int[] {4}, DType.FLOAT32, null);
    }

    @Test
    void allNonFinite() {
        // t = torch.tensor([nan, inf, -inf]); repr(t)
        // tensor([nan, inf, -inf])
        check("tensor([nan, inf, -inf])",
                new double[] {NaN, INF, -INF}, new int[] {3}, DType.FLOAT32, null);
    }

    @Test
    void zerosAndNan() {
        // t = torch.tensor([0., nan]); repr(t)
        // tensor([0., nan])
        check("tensor([0., nan])",
                new double[] {0.0, NaN}, new int[] {2}, DType.FLOAT32, null);
    }

    @Test
    void zeros2d() {
        // t = torch.zeros(2, 3); repr(t)
        // tensor([[0., 0., 0.],
        //         [0., 0., 0.]])
        check("tensor([[0., 0., 0.],\n        [0., 0., 0.]])",
                new double[] {0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, new int[] {2, 3}, DType.FLOAT32, null);
    }

    @Test
    void negativeZero() {
        // t = torch.tensor([-0., 1.]); repr(t)
        // tensor([-0., 1.])
        check("tensor([-0., 1.])",
                new double[] {-0.0, 1.0}, new int[] {2}, DType.FLOAT32, null);
    }

    @Test
    void roundingTiesHalfEven() {
        // t = torch.tensor([0.03125, 0.15625, 1.21875, -2.34375]); repr(t)
        // tensor([ 0.0312,  0.1562,  1.2188, -2.3438])
        check("tensor([ 0.0312,  0.1562,  1.2188, -2.3438])",
                new double[] {0.03125, 0.15625, 1.21875, -2.34375}, new int[] {4}, DType.FLOAT32, null);
    }

    @Test
    void roundingTiesSci() {
        // t = torch.tensor([1.03125, 1e-5, 99999.5]); repr(t)
        // tensor([1.0312e+00, 1.0000e-05, 1.0000e+05])
        check("tensor([1.0312e+00, 1.0000e-05, 1.0000e+05])",
                new double[] {1.03125, 9.999999747378752e-06, 99999.5}, new int[] {3}, DType.FLOAT32, null);
    }

    @Test
    void sciRoundsUpExponent() {
        // t = torch.tensor([9.99996, 1e-5]); repr(t)
        // tensor([1.0000e+01, 1.0000e-05])
        check("tensor([1.0000e+01, 1.0000e-05])",
                new double[] {9.999959945678711, 9.999999747378752e-06}, new int[] {2}, DType.FLOAT32, null);
    }

    @Test
    void scalarFloat() {
        // t = torch.tensor(3.5); repr(t)
        // tensor(3.5000)
        check("tensor(3.5000)",
                new double[] {3.5}, new int[] {}, DType.FLOAT32, null);
    }

    @Test
    void scalarNegativeIntegral() {
        // t = torch.tensor(-2.); repr(t)
        // tensor(-2.)
        check("tensor(-2.)",
                new double[] {-2.0}, new int[] {}, DType.FLOAT32, null);
    }

    @Test
    void scalarSci() {
        // t = torch.tensor(1.5e-7); repr(t)
        // tensor(1.5000e-07)
        check("tensor(1.5000e-07)",
                new double[] {1.500000053056283e-07}, new int[] {}, DType.FLOAT32, null);
    }

    @Test
    void scalarNan() {
        // t = torch.tensor(nan); repr(t)
        // tensor(nan)
        check("tensor(nan)",
                new double[] {NaN}, new int[] {}, DType.FLOAT32, null);
    }

    @Test
    void scalarInt64() {
        // t = torch.tensor(5); repr(t)
        // tensor(5)
        check("tensor(5)",
                new double[] {5.0}, new int[] {}, DType.INT64, null);
    }

    @Test
    void scalarBool() {
        // t = torch.tensor(True); repr(t)
        // tensor(True)
        check("tensor(True)",
                new double[] {1.0}, new int[] {}, DType.BOOL, null);
    }

    @Test
    void scalarFloat64RequiresGrad() {
        // t = torch.tensor(0.1, dtype=torch.float64, requires_grad=True); repr(t)
        // tensor(0.1000, dtype=torch.float64, requires_grad=True)
        check("tensor(0.1000, dtype=float64, requires_grad=true)",
                new double[] {0.1}, new int[] {}, DType.FLOAT64, "requires_grad=true");
    }

    @Test
    void emptyFloat() {
        // t = torch.tensor([]); repr(t)
        // tensor([])
        check("tensor([])",
                new double[] {}, new int[] {0}, DType.FLOAT32, null);
    }

    @Test
    void emptyTwoDim() {
        // t = torch.zeros(0, 3); repr(t)
        // tensor([], size=(0, 3))
        check("tensor([], size=(0, 3))",
                new double[] {}, new int[] {0, 3}, DType.FLOAT32, null);
    }

    @Test
    void emptyRequiresGrad() {
        // t = torch.zeros(2, 0, requires_grad=True); repr(t)
        // tensor([], size=(2, 0), requires_grad=True)
        check("tensor([], size=(2, 0), requires_grad=true)",
                new double[] {}, new int[] {2, 0}, DType.FLOAT32, "requires_grad=true");
    }

    @Test
    void emptyInt64() {
        // t = torch.zeros(0, dtype=torch.int64); repr(t)
        // tensor([], dtype=torch.int64)
        check("tensor([], dtype=int64)",
                new double[] {}, new int[] {0}, DType.INT64, null);
    }

    @Test
    void emptyBoolThreeDim() {
        // t = torch.zeros(1, 0, 2, dtype=torch.bool); repr(t)
        // tensor([], size=(1, 0, 2), dtype=torch.bool)
        check("tensor([], size=(1, 0, 2), dtype=bool)",
                new double[] {}, new int[] {1, 0, 2}, DType.BOOL, null);
    }

    @Test
    void emptyFloat64RequiresGrad() {
        // t = torch.zeros(0, 3, dtype=torch.float64, requires_grad=True); repr(t)
        // tensor([], size=(0, 3), dtype=torch.float64, requires_grad=True)
        check("tensor([], size=(0, 3), dtype=float64, requires_grad=true)",
                new double[] {}, new int[] {0, 3}, DType.FLOAT64, "requires_grad=true");
    }

    @Test
    void int64Vector() {
        // t = torch.tensor([1, -20, 300]); repr(t)
        // tensor([  1, -20, 300])
        check("tensor([  1, -20, 300])",
                new double[] {1.0, -20.0, 300.0}, new int[] {3}, DType.INT64, null);
    }

    @Test
    void int64Matrix() {
        // t = torch.tensor([[1, 2, 3], [-4, 55, 666]]); repr(t)
        // tensor([[  1,   2,   3],
        //         [ -4,  55, 666]])
        check("tensor([[  1,   2,   3],\n        [ -4,  55, 666]])",
                new double[] {1.0, 2.0, 3.0, -4.0, 55.0, 666.0}, new int[] {2, 3}, DType.INT64, null);
    }

    @Test
    void int64Wrapped() {
        // t = torch.arange(40) * 1000 - 5000; repr(t)
        // tensor([-5000, -4000, -3000, -2000, -1000,     0,  1000,  2000,  3000,  4000,
        //          5000,  6000,  7000,  8000,  9000, 10000, 11000, 12000, 13000, 14000,
        //         15000, 16000, 17000, 18000, 19000, 20000, 21000, 22000, 23000, 24000,
        //         25000, 26000, 27000, 28000, 29000, 30000, 31000, 32000, 33000, 34000])
        check("tensor([-5000, -4000, -3000, -2000, -1000,     0,  1000,  2000,  3000,  4000,\n         5000,  6000,  7000,  8000,  9000, 10000, 11000, 12000, 13000, 14000,\n        15000, 16000, 17000, 18000, 19000, 20000, 21000, 22000, 23000, 24000,\n        25000, 26000, 27000, 28000, 29000, 30000, 31000, 32000, 33000, 34000])",
                new double[] {-5000.0, -4000.0, -3000.0, -2000.0, -1000.0, 0.0, 1000.0, 2000.0, 3000.0, 4000.0, 5000.0, 6000.0, 7000.0, 8000.0, 9000.0, 10000.0, 11000.0, 12000.0, 13000.0, 14000.0, 15000.0, 16000.0, 17000.0, 18000.0, 19000.0, 20000.0, 21000.0, 22000.0, 23000.0, 24000.0, 25000.0, 26000.0, 27000.0, 28000.0, 29000.0, 30000.0, 31000.0, 32000.0, 33000.0, 34000.0}, new int[] {40}, DType.INT64, null);
    }

    @Test
    void boolVector() {
        // t = torch.tensor([True, False]); repr(t)
        // tensor([ True, False])
        check("tensor([ True, False])",
                new double[] {1.0, 0.0}, new int[] {2}, DType.BOOL, null);
    }

    @Test
    void boolMatrix() {
        // t = torch.tensor([[True, True], [True, False], [False, False]]); repr(t)
        // tensor([[ True,  True],
        //         [ True, False],
        //         [False, False]])
        check("tensor([[ True,  True],\n        [ True, False],\n        [False, False]])",
                new double[] {1.0, 1.0, 1.0, 0.0, 0.0, 0.0}, new int[] {3, 2}, DType.BOOL, null);
    }

    @Test
    void boolAllTrue() {
        // t = torch.tensor([True, True]); repr(t)
        // tensor([True, True])
        check("tensor([True, True])",
                new double[] {1.0, 1.0}, new int[] {2}, DType.BOOL, null);
    }

    @Test
    void float64Vector() {
        // t = torch.tensor([1.5, 2.], dtype=torch.float64); repr(t)
        // tensor([1.5000, 2.0000], dtype=torch.float64)
        check("tensor([1.5000, 2.0000], dtype=float64)",
                new double[] {1.5, 2.0}, new int[] {2}, DType.FLOAT64, null);
    }

    @Test
    void float64Precise() {
        // t = torch.tensor([0.1 + 0.2, 1/3], dtype=torch.float64); repr(t)
        // tensor([0.3000, 0.3333], dtype=torch.float64)
        check("tensor([0.3000, 0.3333], dtype=float64)",
                new double[] {0.30000000000000004, 0.3333333333333333}, new int[] {2}, DType.FLOAT64, null);
    }

    @Test
    void float64GradFn() {
        // torch.manual_seed(0); t = torch.randn(10, dtype=torch.float64, requires_grad=True) * 2; repr(t)
        // tensor([ 3.0820, -0.5869, -4.3576,  1.1369, -2.1690, -2.7972,  0.8067,  1.6761,
        //         -1.4385, -0.8067], dtype=torch.float64, grad_fn=<MulBackward0>)
        check("tensor([ 3.0820, -0.5869, -4.3576,  1.1369, -2.1690, -2.7972,  0.8067,  1.6761,\n        -1.4385, -0.8067], dtype=float64, grad_fn=<MulBackward>)",
                new double[] {3.0819922164880866, -0.5868578115218928, -4.357578764149115, 1.1368625545613356, -2.169044684848042, -2.7971907907417535, 0.8066936952585986, 1.6760526659953197, -1.4385151569387185, -0.8066870498643491}, new int[] {10}, DType.FLOAT64, "grad_fn=<MulBackward>");
    }

    @Test
    void float64RequiresGradWrapped() {
        // torch.manual_seed(0); t = torch.randn(10, dtype=torch.float64, requires_grad=True); repr(t)
        // tensor([ 1.5410, -0.2934, -2.1788,  0.5684, -1.0845, -1.3986,  0.4033,  0.8380,
        //         -0.7193, -0.4033], dtype=torch.float64, requires_grad=True)
        check("tensor([ 1.5410, -0.2934, -2.1788,  0.5684, -1.0845, -1.3986,  0.4033,  0.8380,\n        -0.7193, -0.4033], dtype=float64, requires_grad=true)",
                new double[] {1.5409961082440433, -0.2934289057609464, -2.1787893820745574, 0.5684312772806678, -1.084522342424021, -1.3985953953708767, 0.4033468476292993, 0.8380263329976598, -0.7192575784693592, -0.40334352493217457}, new int[] {10}, DType.FLOAT64, "requires_grad=true");
    }

    @Test
    void oneDimWrapped() {
        // t = torch.arange(30.) * 1.5; repr(t)
        // tensor([ 0.0000,  1.5000,  3.0000,  4.5000,  6.0000,  7.5000,  9.0000, 10.5000,
        //         12.0000, 13.5000, 15.0000, 16.5000, 18.0000, 19.5000, 21.0000, 22.5000,
        //         24.0000, 25.5000, 27.0000, 28.5000, 30.0000, 31.5000, 33.0000, 34.5000,
        //         36.0000, 37.5000, 39.0000, 40.5000, 42.0000, 43.5000])
        check("tensor([ 0.0000,  1.5000,  3.0000,  4.5000,  6.0000,  7.5000,  9.0000, 10.5000,\n        12.0000, 13.5000, 15.0000, 16.5000, 18.0000, 19.5000, 21.0000, 22.5000,\n        24.0000, 25.5000, 27.0000, 28.5000, 30.0000, 31.5000, 33.0000, 34.5000,\n        36.0000, 37.5000, 39.0000, 40.5000, 42.0000, 43.5000])",
                new double[] {0.0, 1.5, 3.0, 4.5, 6.0, 7.5, 9.0, 10.5, 12.0, 13.5, 15.0, 16.5, 18.0, 19.5, 21.0, 22.5, 24.0, 25.5, 27.0, 28.5, 30.0, 31.5, 33.0, 34.5, 36.0, 37.5, 39.0, 40.5, 42.0, 43.5}, new int[] {30}, DType.FLOAT32, null);
    }

    @Test
    void twoDimWrapped() {
        // torch.manual_seed(3); t = torch.randn(3, 12); repr(t)
        // tensor([[-0.0766,  0.3599, -0.7820,  0.0715,  0.6648, -0.2868,  1.6206, -1.5967,
        //          -0.0517, -0.3060,  0.2485, -0.2226],
        //         [ 0.9132,  0.2043,  0.5740,  0.4163,  0.2615,  0.9311, -0.5145, -1.6517,
        //           0.0371, -0.0677,  0.4290, -0.8681],
        //         [-1.1963,  1.0280,  0.0719, -0.1845, -0.9583,  0.0639,  0.6589,  0.8195,
        //           0.5616, -0.2481, -1.0800,  0.5916]])
        check("tensor([[-0.0766,  0.3599, -0.7820,  0.0715,  0.6648, -0.2868,  1.6206, -1.5967,\n         -0.0517, -0.3060,  0.2485, -0.2226],\n        [ 0.9132,  0.2043,  0.5740,  0.4163,  0.2615,  0.9311, -0.5145, -1.6517,\n          0.0371, -0.0677,  0.4290, -0.8681],\n        [-1.1963,  1.0280,  0.0719, -0.1845, -0.9583,  0.0639,  0.6589,  0.8195,\n          0.5616, -0.2481, -1.0800,  0.5916]])",
                new double[] {-0.07664429396390915, 0.35988152027130127, -0.7820168137550354, 0.07152773439884186, 0.6648393869400024, -0.28678029775619507, 1.6205507516860962, -1.596708059310913, -0.05168096348643303, -0.30597570538520813, 0.2485017478466034, -0.2225608378648758, 0.9131519198417664, 0.2043411135673523, 0.573984682559967, 0.41633129119873047, 0.26150116324424744, 0.9311244487762451, -0.5144619941711426, -1.651665449142456, 0.037066876888275146, -0.06768558919429779, 0.4290330410003662, -0.8681192398071289, -1.196319580078125, 1.02799654006958, 0.07189109176397324, -0.18447619676589966, -0.9583004117012024, 0.06392408162355423, 0.6589139103889465, 0.8194591999053955, 0.5615938901901245, -0.24814683198928833, -1.0799609422683716, 0.5916217565536499}, new int[] {3, 12}, DType.FLOAT32, null);
    }

    @Test
    void threeDimWrapped() {
        // torch.manual_seed(4); t = torch.randn(2, 2, 11) * 100; repr(t)
        // tensor([[[ -94.1416,  126.3247,  -18.3769,   15.0505,   10.7502,  -27.8032,
        //           -260.2135,   62.4457,  -86.8363,  -20.5055,   39.7561],
        //          [  66.9926,   -5.3707,    4.6695, -176.7114, -212.0460,  151.9097,
        //            -66.8198,    0.3078,  -15.3548,  113.9616,  -23.0187]],
        //
        //         [[ 118.7733,   76.7735,  -75.8833,  -18.5343,  -85.5791,  -23.4640,
        //             20.8357,  223.4425,  171.4580,  -39.5606,   -2.6316],
        //          [ 272.0421,  -59.5540,   98.7148,  -80.8584,   28.9068,    0.9470,
        //            -67.8485,  -89.5154, -101.4341,  -24.2864, -157.2725]]])
        check("tensor([[[ -94.1416,  126.3247,  -18.3769,   15.0505,   10.7502,  -27.8032,\n          -260.2135,   62.4457,  -86.8363,  -20.5055,   39.7561],\n         [  66.9926,   -5.3707,    4.6695, -176.7114, -212.0460,  151.9097,\n           -66.8198,    0.3078,  -15.3548,  113.9616,  -23.0187]],\n\n        [[ 118.7733,   76.7735,  -75.8833,  -18.5343,  -85.5791,  -23.4640,\n            20.8357,  223.4425,  171.4580,  -39.5606,   -2.6316],\n         [ 272.0421,  -59.5540,   98.7148,  -80.8584,   28.9068,    0.9470,\n           -67.8485,  -89.5154, -101.4341,  -24.2864, -157.2725]]])",
                new double[] {-94.14164733886719, 126.32467651367188, -18.37693977355957, 15.050545692443848, 10.750223159790039, -27.803234100341797, -260.2135314941406, 62.44574737548828, -86.83628845214844, -20.50552749633789, 39.75607681274414, 66.99259948730469, -5.370697975158691, 4.669524192810059, -176.71136474609375, -212.04595947265625, 151.90969848632812, -66.8198013305664, 0.3077709376811981, -15.354781150817871, 113.96156311035156, -23.01874542236328, 118.77325439453125, 76.77354431152344, -75.88325500488281, -18.534320831298828, -85.57909393310547, -23.463960647583008, 20.835729598999023, 223.44253540039062, 171.4580078125, -39.560577392578125, -2.6316442489624023, 272.04205322265625, -59.55398178100586, 98.71476745605469, -80.85838317871094, 28.906780242919922, 0.9470116496086121, -67.8484878540039, -89.51539611816406, -101.43409729003906, -24.286361694335938, -157.27249145507812}, new int[] {2, 2, 11}, DType.FLOAT32, null);
    }

    @Test
    void suffixOnNewLine() {
        // t = torch.tensor([1.5] * 10 + [2.25], requires_grad=True); repr(t)
        // tensor([1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000,
        //         1.5000, 2.2500], requires_grad=True)
        check("tensor([1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000,\n        1.5000, 2.2500], requires_grad=true)",
                new double[] {1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 2.25}, new int[] {11}, DType.FLOAT32, "requires_grad=true");
    }

    @Test
    void suffixJustFits() {
        // t = torch.tensor([1.5] * 9, requires_grad=True); repr(t)
        // tensor([1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000],
        //        requires_grad=True)
        check("tensor([1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000],\n       requires_grad=true)",
                new double[] {1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5}, new int[] {9}, DType.FLOAT32, "requires_grad=true");
    }

    @Test
    void suffixJustWraps() {
        // t = torch.tensor([1.5] * 10, requires_grad=True); repr(t)
        // tensor([1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000,
        //         1.5000], requires_grad=True)
        check("tensor([1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000,\n        1.5000], requires_grad=true)",
                new double[] {1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5}, new int[] {10}, DType.FLOAT32, "requires_grad=true");
    }

    @Test
    void float64SuffixWrapsBothSuffixes() {
        // t = torch.tensor([1.5] * 9, dtype=torch.float64, requires_grad=True); repr(t)
        // tensor([1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000],
        //        dtype=torch.float64, requires_grad=True)
        check("tensor([1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000],\n       dtype=float64, requires_grad=true)",
                new double[] {1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5}, new int[] {9}, DType.FLOAT64, "requires_grad=true");
    }

    @Test
    void float64DtypeWrapsAtPyTorchLength() {
        // t = torch.tensor([1.5] * 7, dtype=torch.float64); repr(t)
        // tensor([1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000],
        //        dtype=torch.float64)
        check("tensor([1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000],\n       dtype=float64)",
                new double[] {1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5}, new int[] {7}, DType.FLOAT64, null);
    }

    @Test
    void summarized2000() {
        // t = torch.tensor(ramp(2000, 1.0, 0.0)); repr(t)
        // tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,
        //         1.9990e+03])
        check("tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n        1.9990e+03])",
                f32(ramp(2000, 1.0, 0.0)), new int[] {2000}, DType.FLOAT32, null);
    }

    @Test
    void summarized2000Fixed() {
        // t = torch.tensor(ramp(2000, 0.001, -1.0)); repr(t)
        // tensor([-1.0000, -0.9990, -0.9980,  ...,  0.9970,  0.9980,  0.9990])
        check("tensor([-1.0000, -0.9990, -0.9980,  ...,  0.9970,  0.9980,  0.9990])",
                f32(ramp(2000, 0.001, -1.0)), new int[] {2000}, DType.FLOAT32, null);
    }

    @Test
    void summarizedInt64() {
        // t = torch.arange(2000); repr(t)
        // tensor([   0,    1,    2,  ..., 1997, 1998, 1999])
        check("tensor([   0,    1,    2,  ..., 1997, 1998, 1999])",
                ramp(2000, 1.0, 0.0), new int[] {2000}, DType.INT64, null);
    }

    @Test
    void summarizedMatrix100x100() {
        // t = torch.tensor(lcg(10000, 42)).reshape(100, 100); repr(t)
        // tensor([[ 3.5060, -3.5480, -3.2780,  ...,  4.8560, -2.3230,  9.5980],
        //         [-6.8260,  7.0940,  2.1570,  ..., -4.5070,  3.5960,  2.0620],
        //         [-0.0530,  9.0500,  3.5210,  ...,  6.0010, -3.2030, -5.2100],
        //         ...,
        //         [-4.2490,  7.8040,  6.3060,  ..., -4.1940,  3.9290, -8.0210],
        //         [ 9.8340, -1.2970,  0.1570,  ...,  0.3610,  3.7900, -9.3090],
        //         [-2.6360,  3.4250, -4.9990,  ...,  1.4120, -0.2760,  9.2660]])
        check("tensor([[ 3.5060, -3.5480, -3.2780,  ...,  4.8560, -2.3230,  9.5980],\n        [-6.8260,  7.0940,  2.1570,  ..., -4.5070,  3.5960,  2.0620],\n        [-0.0530,  9.0500,  3.5210,  ...,  6.0010, -3.2030, -5.2100],\n        ...,\n        [-4.2490,  7.8040,  6.3060,  ..., -4.1940,  3.9290, -8.0210],\n        [ 9.8340, -1.2970,  0.1570,  ...,  0.3610,  3.7900, -9.3090],\n        [-2.6360,  3.4250, -4.9990,  ...,  1.4120, -0.2760,  9.2660]])",
                f32(lcg(10000, 42)), new int[] {100, 100}, DType.FLOAT32, null);
    }

    @Test
    void summarizedIntegralMatrix() {
        // t = (torch.arange(10000.) % 100).reshape(100, 100); repr(t)
        // tensor([[ 0.,  1.,  2.,  ..., 97., 98., 99.],
        //         [ 0.,  1.,  2.,  ..., 97., 98., 99.],
        //         [ 0.,  1.,  2.,  ..., 97., 98., 99.],
        //         ...,
        //         [ 0.,  1.,  2.,  ..., 97., 98., 99.],
        //         [ 0.,  1.,  2.,  ..., 97., 98., 99.],
        //         [ 0.,  1.,  2.,  ..., 97., 98., 99.]])
        check("tensor([[ 0.,  1.,  2.,  ..., 97., 98., 99.],\n        [ 0.,  1.,  2.,  ..., 97., 98., 99.],\n        [ 0.,  1.,  2.,  ..., 97., 98., 99.],\n        ...,\n        [ 0.,  1.,  2.,  ..., 97., 98., 99.],\n        [ 0.,  1.,  2.,  ..., 97., 98., 99.],\n        [ 0.,  1.,  2.,  ..., 97., 98., 99.]])",
                f32(mod(ramp(10000, 1.0, 0.0), 100)), new int[] {100, 100}, DType.FLOAT32, null);
    }

    @Test
    void summarizedThreeDim() {
        // t = torch.tensor(lcg(8000, 7)).reshape(20, 20, 20); repr(t)
        // tensor([[[-5.9890,  4.2020,  0.3270,  ..., -7.3030, -0.8430, -4.2170],
        //          [ 9.2860, -3.4290, -7.5890,  ...,  7.3240,  6.2400, -3.3290],
        //          [ 8.9690, -8.4250, -7.9990,  ..., -0.2810, -0.8550, -0.2390],
        //          ...,
        //          [ 8.6750,  0.8910, -0.5370,  ...,  6.9600,  0.2130,  0.9760],
        //          [-7.0000,  8.8690, -0.8520,  ..., -4.6260, -2.1430,  2.6820],
        //          [ 3.0910,  7.3260,  5.3650,  ..., -6.9100,  2.3240,  5.2650]],
        //
        //         [[-2.6860, -0.1090,  4.1930,  ..., -4.1390, -3.3960,  7.3480],
        //          [-4.2860,  7.8980,  3.9140,  ..., -1.1050, -8.0430,  3.5230],
        //          [ 7.9860,  3.5920,  4.6390,  ...,  4.6030,  2.7030, -9.3510],
        //          ...,
        //          [-9.8350,  6.7640, -7.4420,  ..., -5.2200, -1.3070,  0.7560],
        //          [ 1.7370,  3.7560,  5.5600,  ...,  2.6490,  2.8350,  1.5050],
        //          [-5.7300, -5.8430,  2.8180,  ..., -8.6120,  6.8010,  2.4200]],
        //
        //         [[ 2.6340,  7.3660,  7.8400,  ...,  3.8080, -7.7520, -4.3660],
        //          [-0.9280,  2.1000,  8.8740,  ..., -9.9760, -3.3410,  7.4850],
        //          [ 1.1680, -9.9490,  6.4640,  ..., -1.5570, -3.4810,  9.1140],
        //          ...,
        //          [ 7.2980,  7.3150, -6.3190,  ...,  1.9010, -8.0340,  3.9640],
        //          [ 9.0570,  6.8270,  4.6110,  ...,  2.2460,  5.1460, -3.8920],
        //          [ 8.2570, -4.8390,  8.3090,  ...,  6.3700,  0.8940, -7.0330]],
        //
        //         ...,
        //
        //         [[ 7.1770, -2.6870,  4.2440,  ...,  9.1270, -0.9010, -4.4480],
        //          [ 6.2690,  2.2400,  5.7110,  ...,  3.9590,  0.0000,  9.5830],
        //          [-3.4130, -5.0150, -2.6920,  ...,  0.3070, -1.1350,  6.2890],
        //          ...,
        //          [-7.5920, -9.2570,  5.1320,  ...,  5.3620, -7.3530, -8.6030],
        //          [ 1.8400,  5.6930, -6.3180,  ..., -0.3830, -1.6790,  1.6890],
        //          [ 5.6800, -5.0110,  2.5230,  ...,  9.8720,  4.7660, -2.6680]],
        //
        //         [[ 4.8150, -0.2470, -7.6570,  ..., -3.6310, -2.8260,  0.3030],
        //          [ 5.0990,  1.5490, -6.0140,  ..., -0.5870,  6.3920,  7.4670],
        //          [-7.8830,  0.5130, -2.3140,  ...,  5.2860,  8.6680, -1.0860],
        //          ...,
        //          [-0.0990, -6.8250, -9.4880,  ..., -0.3140,  2.7970,  8.4780],
        //          [ 3.2710, -5.3220,  1.3130,  ...,  3.3040,  8.3310,  8.9650],
        //          [-0.5380,  6.9860,  3.9900,  ..., -2.6040,  6.5600,  6.4500]],
        //
        //         [[-6.0960, -8.7260, -5.8720,  ..., -1.5070,  9.3360,  3.7680],
        //          [ 7.4760,  1.7880,  9.7890,  ..., -1.9130, -6.1760, -1.5390],
        //          [-5.2550,  9.5180,  2.6230,  ...,  5.9700, -1.2120, -7.6030],
        //          ...,
        //          [-8.4110, -6.5990,  0.4210,  ...,  6.4530, -3.3540, -4.6910],
        //          [ 4.2590,  3.9080,  9.2110,  ..., -6.4930, -1.3130,  1.0330],
        //          [-3.4590, -5.7940, -7.2530,  ..., -9.8470, -8.8300, -8.5650]]])
        check("tensor([[[-5.9890,  4.2020,  0.3270,  ..., -7.3030, -0.8430, -4.2170],\n         [ 9.2860, -3.4290, -7.5890,  ...,  7.3240,  6.2400, -3.3290],\n         [ 8.9690, -8.4250, -7.9990,  ..., -0.2810, -0.8550, -0.2390],\n         ...,\n         [ 8.6750,  0.8910, -0.5370,  ...,  6.9600,  0.2130,  0.9760],\n         [-7.0000,  8.8690, -0.8520,  ..., -4.6260, -2.1430,  2.6820],\n         [ 3.0910,  7.3260,  5.3650,  ..., -6.9100,  2.3240,  5.2650]],\n\n        [[-2.6860, -0.1090,  4.1930,  ..., -4.1390, -3.3960,  7.3480],\n         [-4.2860,  7.8980,  3.9140,  ..., -1.1050, -8.0430,  3.5230],\n         [ 7.9860,  3.5920,  4.6390,  ...,  4.6030,  2.7030, -9.3510],\n         ...,\n         [-9.8350,  6.7640, -7.4420,  ..., -5.2200, -1.3070,  0.7560],\n         [ 1.7370,  3.7560,  5.5600,  ...,  2.6490,  2.8350,  1.5050],\n         [-5.7300, -5.8430,  2.8180,  ..., -8.6120,  6.8010,  2.4200]],\n\n        [[ 2.6340,  7.3660,  7.8400,  ...,  3.8080, -7.7520, -4.3660],\n         [-0.9280,  2.1000,  8.8740,  ..., -9.9760, -3.3410,  7.4850],\n         [ 1.1680, -9.9490,  6.4640,  ..., -1.5570, -3.4810,  9.1140],\n         ...,\n         [ 7.2980,  7.3150, -6.3190,  ...,  1.9010, -8.0340,  3.9640],\n         [ 9.0570,  6.8270,  4.6110,  ...,  2.2460,  5.1460, -3.8920],\n         [ 8.2570, -4.8390,  8.3090,  ...,  6.3700,  0.8940, -7.0330]],\n\n        ...,\n\n        [[ 7.1770, -2.6870,  4.2440,  ...,  9.1270, -0.9010, -4.4480],\n         [ 6.2690,  2.2400,  5.7110,  ...,  3.9590,  0.0000,  9.5830],\n         [-3.4130, -5.0150, -2.6920,  ...,  0.3070, -1.1350,  6.2890],\n         ...,\n         [-7.5920, -9.2570,  5.1320,  ...,  5.3620, -7.3530, -8.6030],\n         [ 1.8400,  5.6930, -6.3180,  ..., -0.3830, -1.6790,  1.6890],\n         [ 5.6800, -5.0110,  2.5230,  ...,  9.8720,  4.7660, -2.6680]],\n\n        [[ 4.8150, -0.2470, -7.6570,  ..., -3.6310, -2.8260,  0.3030],\n         [ 5.0990,  1.5490, -6.0140,  ..., -0.5870,  6.3920,  7.4670],\n         [-7.8830,  0.5130, -2.3140,  ...,  5.2860,  8.6680, -1.0860],\n         ...,\n         [-0.0990, -6.8250, -9.4880,  ..., -0.3140,  2.7970,  8.4780],\n         [ 3.2710, -5.3220,  1.3130,  ...,  3.3040,  8.3310,  8.9650],\n         [-0.5380,  6.9860,  3.9900,  ..., -2.6040,  6.5600,  6.4500]],\n\n        [[-6.0960, -8.7260, -5.8720,  ..., -1.5070,  9.3360,  3.7680],\n         [ 7.4760,  1.7880,  9.7890,  ..., -1.9130, -6.1760, -1.5390],\n         [-5.2550,  9.5180,  2.6230,  ...,  5.9700, -1.2120, -7.6030],\n         ...,\n         [-8.4110, -6.5990,  0.4210,  ...,  6.4530, -3.3540, -4.6910],\n         [ 4.2590,  3.9080,  9.2110,  ..., -6.4930, -1.3130,  1.0330],\n         [-3.4590, -5.7940, -7.2530,  ..., -9.8470, -8.8300, -8.5650]]])",
                f32(lcg(8000, 7)), new int[] {20, 20, 20}, DType.FLOAT32, null);
    }

    @Test
    void summarizedShortLeadingDim() {
        // t = torch.tensor(lcg(2004, 3)).reshape(4, 501); repr(t)
        // tensor([[ 6.2820,  9.8720,  0.7390,  ..., -5.9390,  6.4900,  3.1560],
        //         [-6.5400,  2.3270, -9.3700,  ...,  4.4170,  7.7620, -7.5210],
        //         [ 9.7310, -4.2520,  6.3490,  ...,  4.4070, -8.0270, -7.7640],
        //         [ 5.6750,  3.7560, -1.2950,  ...,  1.0490,  9.8530, -8.2770]])
        check("tensor([[ 6.2820,  9.8720,  0.7390,  ..., -5.9390,  6.4900,  3.1560],\n        [-6.5400,  2.3270, -9.3700,  ...,  4.4170,  7.7620, -7.5210],\n        [ 9.7310, -4.2520,  6.3490,  ...,  4.4070, -8.0270, -7.7640],\n        [ 5.6750,  3.7560, -1.2950,  ...,  1.0490,  9.8530, -8.2770]])",
                f32(lcg(2004, 3)), new int[] {4, 501}, DType.FLOAT32, null);
    }

    @Test
    void summarizedRequiresGrad() {
        // t = torch.tensor(lcg(1001, 5), requires_grad=True); repr(t)
        // tensor([-9.8540,  7.0370,  0.5330,  ..., -6.7800,  0.5680, -0.2220],
        //        requires_grad=True)
        check("tensor([-9.8540,  7.0370,  0.5330,  ..., -6.7800,  0.5680, -0.2220],\n       requires_grad=true)",
                f32(lcg(1001, 5)), new int[] {1001}, DType.FLOAT32, "requires_grad=true");
    }

    @Test
    void notSummarizedAt1000() {
        // t = torch.arange(1000).reshape(10, 100); repr(t)
        // tensor([[  0,   1,   2,   3,   4,   5,   6,   7,   8,   9,  10,  11,  12,  13,
        //           14,  15,  16,  17,  18,  19,  20,  21,  22,  23,  24,  25,  26,  27,
        //           28,  29,  30,  31,  32,  33,  34,  35,  36,  37,  38,  39,  40,  41,
        //           42,  43,  44,  45,  46,  47,  48,  49,  50,  51,  52,  53,  54,  55,
        //           56,  57,  58,  59,  60,  61,  62,  63,  64,  65,  66,  67,  68,  69,
        //           70,  71,  72,  73,  74,  75,  76,  77,  78,  79,  80,  81,  82,  83,
        //           84,  85,  86,  87,  88,  89,  90,  91,  92,  93,  94,  95,  96,  97,
        //           98,  99],
        //         [100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113,
        //          114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127,
        //          128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 141,
        //          142, 143, 144, 145, 146, 147, 148, 149, 150, 151, 152, 153, 154, 155,
        //          156, 157, 158, 159, 160, 161, 162, 163, 164, 165, 166, 167, 168, 169,
        //          170, 171, 172, 173, 174, 175, 176, 177, 178, 179, 180, 181, 182, 183,
        //          184, 185, 186, 187, 188, 189, 190, 191, 192, 193, 194, 195, 196, 197,
        //          198, 199],
        //         [200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211, 212, 213,
        //          214, 215, 216, 217, 218, 219, 220, 221, 222, 223, 224, 225, 226, 227,
        //          228, 229, 230, 231, 232, 233, 234, 235, 236, 237, 238, 239, 240, 241,
        //          242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253, 254, 255,
        //          256, 257, 258, 259, 260, 261, 262, 263, 264, 265, 266, 267, 268, 269,
        //          270, 271, 272, 273, 274, 275, 276, 277, 278, 279, 280, 281, 282, 283,
        //          284, 285, 286, 287, 288, 289, 290, 291, 292, 293, 294, 295, 296, 297,
        //          298, 299],
        //         [300, 301, 302, 303, 304, 305, 306, 307, 308, 309, 310, 311, 312, 313,
        //          314, 315, 316, 317, 318, 319, 320, 321, 322, 323, 324, 325, 326, 327,
        //          328, 329, 330, 331, 332, 333, 334, 335, 336, 337, 338, 339, 340, 341,
        //          342, 343, 344, 345, 346, 347, 348, 349, 350, 351, 352, 353, 354, 355,
        //          356, 357, 358, 359, 360, 361, 362, 363, 364, 365, 366, 367, 368, 369,
        //          370, 371, 372, 373, 374, 375, 376, 377, 378, 379, 380, 381, 382, 383,
        //          384, 385, 386, 387, 388, 389, 390, 391, 392, 393, 394, 395, 396, 397,
        //          398, 399],
        //         [400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413,
        //          414, 415, 416, 417, 418, 419, 420, 421, 422, 423, 424, 425, 426, 427,
        //          428, 429, 430, 431, 432, 433, 434, 435, 436, 437, 438, 439, 440, 441,
        //          442, 443, 444, 445, 446, 447, 448, 449, 450, 451, 452, 453, 454, 455,
        //          456, 457, 458, 459, 460, 461, 462, 463, 464, 465, 466, 467, 468, 469,
        //          470, 471, 472, 473, 474, 475, 476, 477, 478, 479, 480, 481, 482, 483,
        //          484, 485, 486, 487, 488, 489, 490, 491, 492, 493, 494, 495, 496, 497,
        //          498, 499],
        //         [500, 501, 502, 503, 504, 505, 506, 507, 508, 509, 510, 511, 512, 513,
        //          514, 515, 516, 517, 518, 519, 520, 521, 522, 523, 524, 525, 526, 527,
        //          528, 529, 530, 531, 532, 533, 534, 535, 536, 537, 538, 539, 540, 541,
        //          542, 543, 544, 545, 546, 547, 548, 549, 550, 551, 552, 553, 554, 555,
        //          556, 557, 558, 559, 560, 561, 562, 563, 564, 565, 566, 567, 568, 569,
        //          570, 571, 572, 573, 574, 575, 576, 577, 578, 579, 580, 581, 582, 583,
        //          584, 585, 586, 587, 588, 589, 590, 591, 592, 593, 594, 595, 596, 597,
        //          598, 599],
        //         [600, 601, 602, 603, 604, 605, 606, 607, 608, 609, 610, 611, 612, 613,
        //          614, 615, 616, 617, 618, 619, 620, 621, 622, 623, 624, 625, 626, 627,
        //          628, 629, 630, 631, 632, 633, 634, 635, 636, 637, 638, 639, 640, 641,
        //          642, 643, 644, 645, 646, 647, 648, 649, 650, 651, 652, 653, 654, 655,
        //          656, 657, 658, 659, 660, 661, 662, 663, 664, 665, 666, 667, 668, 669,
        //          670, 671, 672, 673, 674, 675, 676, 677, 678, 679, 680, 681, 682, 683,
        //          684, 685, 686, 687, 688, 689, 690, 691, 692, 693, 694, 695, 696, 697,
        //          698, 699],
        //         [700, 701, 702, 703, 704, 705, 706, 707, 708, 709, 710, 711, 712, 713,
        //          714, 715, 716, 717, 718, 719, 720, 721, 722, 723, 724, 725, 726, 727,
        //          728, 729, 730, 731, 732, 733, 734, 735, 736, 737, 738, 739, 740, 741,
        //          742, 743, 744, 745, 746, 747, 748, 749, 750, 751, 752, 753, 754, 755,
        //          756, 757, 758, 759, 760, 761, 762, 763, 764, 765, 766, 767, 768, 769,
        //          770, 771, 772, 773, 774, 775, 776, 777, 778, 779, 780, 781, 782, 783,
        //          784, 785, 786, 787, 788, 789, 790, 791, 792, 793, 794, 795, 796, 797,
        //          798, 799],
        //         [800, 801, 802, 803, 804, 805, 806, 807, 808, 809, 810, 811, 812, 813,
        //          814, 815, 816, 817, 818, 819, 820, 821, 822, 823, 824, 825, 826, 827,
        //          828, 829, 830, 831, 832, 833, 834, 835, 836, 837, 838, 839, 840, 841,
        //          842, 843, 844, 845, 846, 847, 848, 849, 850, 851, 852, 853, 854, 855,
        //          856, 857, 858, 859, 860, 861, 862, 863, 864, 865, 866, 867, 868, 869,
        //          870, 871, 872, 873, 874, 875, 876, 877, 878, 879, 880, 881, 882, 883,
        //          884, 885, 886, 887, 888, 889, 890, 891, 892, 893, 894, 895, 896, 897,
        //          898, 899],
        //         [900, 901, 902, 903, 904, 905, 906, 907, 908, 909, 910, 911, 912, 913,
        //          914, 915, 916, 917, 918, 919, 920, 921, 922, 923, 924, 925, 926, 927,
        //          928, 929, 930, 931, 932, 933, 934, 935, 936, 937, 938, 939, 940, 941,
        //          942, 943, 944, 945, 946, 947, 948, 949, 950, 951, 952, 953, 954, 955,
        //          956, 957, 958, 959, 960, 961, 962, 963, 964, 965, 966, 967, 968, 969,
        //          970, 971, 972, 973, 974, 975, 976, 977, 978, 979, 980, 981, 982, 983,
        //          984, 985, 986, 987, 988, 989, 990, 991, 992, 993, 994, 995, 996, 997,
        //          998, 999]])
        check("tensor([[  0,   1,   2,   3,   4,   5,   6,   7,   8,   9,  10,  11,  12,  13,\n          14,  15,  16,  17,  18,  19,  20,  21,  22,  23,  24,  25,  26,  27,\n          28,  29,  30,  31,  32,  33,  34,  35,  36,  37,  38,  39,  40,  41,\n          42,  43,  44,  45,  46,  47,  48,  49,  50,  51,  52,  53,  54,  55,\n          56,  57,  58,  59,  60,  61,  62,  63,  64,  65,  66,  67,  68,  69,\n          70,  71,  72,  73,  74,  75,  76,  77,  78,  79,  80,  81,  82,  83,\n          84,  85,  86,  87,  88,  89,  90,  91,  92,  93,  94,  95,  96,  97,\n          98,  99],\n        [100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113,\n         114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127,\n         128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 141,\n         142, 143, 144, 145, 146, 147, 148, 149, 150, 151, 152, 153, 154, 155,\n         156, 157, 158, 159, 160, 161, 162, 163, 164, 165, 166, 167, 168, 169,\n         170, 171, 172, 173, 174, 175, 176, 177, 178, 179, 180, 181, 182, 183,\n         184, 185, 186, 187, 188, 189, 190, 191, 192, 193, 194, 195, 196, 197,\n         198, 199],\n        [200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211, 212, 213,\n         214, 215, 216, 217, 218, 219, 220, 221, 222, 223, 224, 225, 226, 227,\n         228, 229, 230, 231, 232, 233, 234, 235, 236, 237, 238, 239, 240, 241,\n         242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253, 254, 255,\n         256, 257, 258, 259, 260, 261, 262, 263, 264, 265, 266, 267, 268, 269,\n         270, 271, 272, 273, 274, 275, 276, 277, 278, 279, 280, 281, 282, 283,\n         284, 285, 286, 287, 288, 289, 290, 291, 292, 293, 294, 295, 296, 297,\n         298, 299],\n        [300, 301, 302, 303, 304, 305, 306, 307, 308, 309, 310, 311, 312, 313,\n         314, 315, 316, 317, 318, 319, 320, 321, 322, 323, 324, 325, 326, 327,\n         328, 329, 330, 331, 332, 333, 334, 335, 336, 337, 338, 339, 340, 341,\n         342, 343, 344, 345, 346, 347, 348, 349, 350, 351, 352, 353, 354, 355,\n         356, 357, 358, 359, 360, 361, 362, 363, 364, 365, 366, 367, 368, 369,\n         370, 371, 372, 373, 374, 375, 376, 377, 378, 379, 380, 381, 382, 383,\n         384, 385, 386, 387, 388, 389, 390, 391, 392, 393, 394, 395, 396, 397,\n         398, 399],\n        [400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413,\n         414, 415, 416, 417, 418, 419, 420, 421, 422, 423, 424, 425, 426, 427,\n         428, 429, 430, 431, 432, 433, 434, 435, 436, 437, 438, 439, 440, 441,\n         442, 443, 444, 445, 446, 447, 448, 449, 450, 451, 452, 453, 454, 455,\n         456, 457, 458, 459, 460, 461, 462, 463, 464, 465, 466, 467, 468, 469,\n         470, 471, 472, 473, 474, 475, 476, 477, 478, 479, 480, 481, 482, 483,\n         484, 485, 486, 487, 488, 489, 490, 491, 492, 493, 494, 495, 496, 497,\n         498, 499],\n        [500, 501, 502, 503, 504, 505, 506, 507, 508, 509, 510, 511, 512, 513,\n         514, 515, 516, 517, 518, 519, 520, 521, 522, 523, 524, 525, 526, 527,\n         528, 529, 530, 531, 532, 533, 534, 535, 536, 537, 538, 539, 540, 541,\n         542, 543, 544, 545, 546, 547, 548, 549, 550, 551, 552, 553, 554, 555,\n         556, 557, 558, 559, 560, 561, 562, 563, 564, 565, 566, 567, 568, 569,\n         570, 571, 572, 573, 574, 575, 576, 577, 578, 579, 580, 581, 582, 583,\n         584, 585, 586, 587, 588, 589, 590, 591, 592, 593, 594, 595, 596, 597,\n         598, 599],\n        [600, 601, 602, 603, 604, 605, 606, 607, 608, 609, 610, 611, 612, 613,\n         614, 615, 616, 617, 618, 619, 620, 621, 622, 623, 624, 625, 626, 627,\n         628, 629, 630, 631, 632, 633, 634, 635, 636, 637, 638, 639, 640, 641,\n         642, 643, 644, 645, 646, 647, 648, 649, 650, 651, 652, 653, 654, 655,\n         656, 657, 658, 659, 660, 661, 662, 663, 664, 665, 666, 667, 668, 669,\n         670, 671, 672, 673, 674, 675, 676, 677, 678, 679, 680, 681, 682, 683,\n         684, 685, 686, 687, 688, 689, 690, 691, 692, 693, 694, 695, 696, 697,\n         698, 699],\n        [700, 701, 702, 703, 704, 705, 706, 707, 708, 709, 710, 711, 712, 713,\n         714, 715, 716, 717, 718, 719, 720, 721, 722, 723, 724, 725, 726, 727,\n         728, 729, 730, 731, 732, 733, 734, 735, 736, 737, 738, 739, 740, 741,\n         742, 743, 744, 745, 746, 747, 748, 749, 750, 751, 752, 753, 754, 755,\n         756, 757, 758, 759, 760, 761, 762, 763, 764, 765, 766, 767, 768, 769,\n         770, 771, 772, 773, 774, 775, 776, 777, 778, 779, 780, 781, 782, 783,\n         784, 785, 786, 787, 788, 789, 790, 791, 792, 793, 794, 795, 796, 797,\n         798, 799],\n        [800, 801, 802, 803, 804, 805, 806, 807, 808, 809, 810, 811, 812, 813,\n         814, 815, 816, 817, 818, 819, 820, 821, 822, 823, 824, 825, 826, 827,\n         828, 829, 830, 831, 832, 833, 834, 835, 836, 837, 838, 839, 840, 841,\n         842, 843, 844, 845, 846, 847, 848, 849, 850, 851, 852, 853, 854, 855,\n         856, 857, 858, 859, 860, 861, 862, 863, 864, 865, 866, 867, 868, 869,\n         870, 871, 872, 873, 874, 875, 876, 877, 878, 879, 880, 881, 882, 883,\n         884, 885, 886, 887, 888, 889, 890, 891, 892, 893, 894, 895, 896, 897,\n         898, 899],\n        [900, 901, 902, 903, 904, 905, 906, 907, 908, 909, 910, 911, 912, 913,\n         914, 915, 916, 917, 918, 919, 920, 921, 922, 923, 924, 925, 926, 927,\n         928, 929, 930, 931, 932, 933, 934, 935, 936, 937, 938, 939, 940, 941,\n         942, 943, 944, 945, 946, 947, 948, 949, 950, 951, 952, 953, 954, 955,\n         956, 957, 958, 959, 960, 961, 962, 963, 964, 965, 966, 967, 968, 969,\n         970, 971, 972, 973, 974, 975, 976, 977, 978, 979, 980, 981, 982, 983,\n         984, 985, 986, 987, 988, 989, 990, 991, 992, 993, 994, 995, 996, 997,\n         998, 999]])",
                ramp(1000, 1.0, 0.0), new int[] {10, 100}, DType.INT64, null);
    }
}

