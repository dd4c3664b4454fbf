package dev.ember.autograd;

import static dev.ember.Assertions2.assertThrowsWith;
import static dev.ember.Assertions2.assertValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.AutogradException;
import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FunctionTest {

    /** The seed's MySquare. */
    static final class MySquare extends Function {
        @Override
        protected Tensor[] forward(FunctionContext ctx, Tensor... inputs) {
            ctx.saveForBackward(inputs[0]);
            return new Tensor[] {inputs[0].pow(2)};
        }

        @Override
        protected Tensor[] backward(FunctionContext ctx, Tensor... gradOutputs) {
            Tensor input = ctx.savedTensors()[0];
            return new Tensor[] {gradOutputs[0].mul(input.mul(2))};
        }
    }

    @Test
    void seedMySquare() {
        Tensor x = Ember.scalar(3.0).requiresGrad_();
        Tensor out = new MySquare().apply(x);
        assertEquals("tensor(9., grad_fn=<MySquareBackward>)", out.toString());
        out.backward();
        assertValues(x.grad(), 6);
    }

    @Test
    void backwardWrittenWithTensorOpsDifferentiatesAgain() {
        Tensor x = Ember.scalar(3.0).requiresGrad_();
        Tensor g1 = Autograd.grad(new MySquare().apply(x), x, GradOptions.createGraph())[0];
        assertValues(g1, 6);
        assertValues(Autograd.grad(g1, x)[0], 2);
    }

    /** a * b + scale (scale a non-tensor argument, as a field), and a - b as a second output. */
    static class ScaledProduct extends Function {
        private final double scale;
        final List<String> seen = new ArrayList<>();

        ScaledProduct(double scale) {
            this.scale = scale;
        }

        @Override
        protected Tensor[] forward(FunctionContext ctx, Tensor... in) {
            ctx.saveForBackward(in[0], in[1]);
            return new Tensor[] {in[0].mul(in[1]).mul(scale), in[0].sub(in[1])};
        }

        @Override
        protected Tensor[] backward(FunctionContext ctx, Tensor... g) {
            seen.add("needs " + ctx.needsInputGrad(0) + " " + ctx.needsInputGrad(1));
            Tensor[] s = ctx.savedTensors();
            return new Tensor[] {
                ctx.needsInputGrad(0) ? g[0].mul(s[1]).mul(scale).add(g[1]) : null,
                ctx.needsInputGrad(1) ? g[0].mul(s[0]).mul(scale).sub(g[1]) : null};
        }
    }

    @Test
    void severalInputsAndOutputsAndNonTensorArguments() {
        Tensor a = Ember.tensor(1.0, 2.0).requiresGrad_();
        Tensor b = Ember.tensor(3.0, 4.0);
        ScaledProduct f = new ScaledProduct(10.0);
        Tensor[] out = f.applyAll(a, b);
        assertSame(out[0].gradFn(), out[1].gradFn());
        assertEquals(1, out[1].outputNr());
        out[0].add(out[1]).sum().backward();
        assertValues(a.grad(), 31, 41);
        assertEquals(List.of("needs true false"), f.seen);
    }

    @Test
    void missingOutputGradientsAreZerosOrNull() {
        Tensor a = Ember.tensor(1.0, 2.0).requiresGrad_();
        Tensor b = Ember.tensor(3.0, 4.0);
        Tensor[] out = new ScaledProduct(1.0).applyAll(a, b);
        out[0].sum().backward();
        assertValues(a.grad(), 3, 4);

        List<Boolean> secondWasNull = new ArrayList<>();
        Function lazy = new Function() {
            @Override
            protected Tensor[] forward(FunctionContext ctx, Tensor... in) {
                ctx.setMaterializeGrads(false);
                return new Tensor[] {in[0].mul(2), in[0].mul(3)};
            }

            @Override
            protected Tensor[] backward(FunctionContext ctx, Tensor... g) {
                secondWasNull.add(g[1] == null);
                return new Tensor[] {g[0].mul(2)};
            }
        };
        Tensor x = Ember.ones(2).requiresGrad_();
        lazy.applyAll(x)[0].sum().backward();
        assertEquals(List.of(true), secondWasNull);
        assertValues(x.grad(), 2, 2);
    }

    @Test
    void nonDifferentiableOutputsDoNotRequireGrad() {
        Function maxWithIndex = new Function() {
            @Override
            protected Tensor[] forward(FunctionContext ctx, Tensor... in) {
                Tensor values = in[0].max();
                Tensor index = in[0].argmax(0, false);
                Tensor mask = in[0].eq(values).to(DType.FLOAT32);
                ctx.saveForBackward(mask);
                ctx.markNonDifferentiable(index, mask);
                return new Tensor[] {values, index, mask};
            }

            @Override
            protected Tensor[] backward(FunctionContext ctx, Tensor... g) {
                return new Tensor[] {ctx.savedTensors()[0].mul(g[0])};
            }
        };
        Tensor x = Ember.tensor(1.0, 3.0, 2.0).requiresGrad_();
        Tensor[] out = maxWithIndex.applyAll(x);
        assertTrue(out[0].requiresGrad());
        assertFalse(out[1].requiresGrad());
        assertFalse(out[2].requiresGrad());
        out[0].backward();
        assertValues(x.grad(), 0, 1, 0);
    }

    @Test
    void dirtyInputsAreRebasedOntoTheFunctionsNode() {
        Function doubleInPlace = new Function() {
            @Override
            protected Tensor[] forward(FunctionContext ctx, Tensor... in) {
                in[0].mul_(2);
                ctx.markDirty(in[0]);
                return new Tensor[] {in[0]};
            }

            @Override
            protected Tensor[] backward(FunctionContext ctx, Tensor... g) {
                return new Tensor[] {g[0].mul(2)};
            }
        };
        Tensor a = Ember.ones(2).requiresGrad_();
        Tensor b = a.mul(1.0);
        Tensor c = doubleInPlace.apply(b);
        assertSame(b, c);
        assertEquals("FunctionBackward", b.gradFn().name());
        assertEquals(1, b.version());
        c.sum().backward();
        assertValues(a.grad(), 2, 2);
    }

    @Test
    void inputsReturnedAsTheyAreComeBackAsNewTensors() {
        Function identity = new Function() {
            @Override
            protected Tensor[] forward(FunctionContext ctx, Tensor... in) {
                return new Tensor[] {in[0]};
            }

            @Override
            protected Tensor[] backward(FunctionContext ctx, Tensor... g) {
                return new Tensor[] {g[0]};
            }
        };
        Tensor x = Ember.ones(2).requiresGrad_();
        Tensor y = identity.apply(x);
        assertNotSame(x, y);
        assertTrue(x.isLeaf());
        assertFalse(y.isLeaf());
    }

    @Test
    void withoutInputsThatRequireGradNothingIsRecorded() {
        Tensor out = new MySquare().apply(Ember.ones(2));
        assertFalse(out.requiresGrad());
        assertNull(out.gradFn());
    }

    @Test
    void onceDifferentiableFunctionsFailClearlyOnASecondDifferentiation() {
        Function once = new Function() {
            @Override
            protected Tensor[] forward(FunctionContext ctx, Tensor... in) {
                ctx.saveForBackward(in[0]);
                return new Tensor[] {in[0].pow(2)};
            }

            @Override
            protected Tensor[] backward(FunctionContext ctx, Tensor... g) {
                return new Tensor[] {g[0].mul(ctx.savedTensors()[0].mul(2))};
            }

            @Override
            protected boolean isOnceDifferentiable() {
                return true;
            }

            @Override
            public String name() {
                return "OnceSquare";
            }
        };
        Tensor x = Ember.scalar(3.0).requiresGrad_();
        Tensor g = Autograd.grad(once.apply(x), x, GradOptions.createGraph())[0];
        assertValues(g, 6);
        assertThrowsWith(AutogradException.class, () -> Autograd.grad(g, x), "differentiate twice", "OnceSquare",
                "once-differentiable");
        Tensor y = Ember.scalar(2.0).requiresGrad_();
        once.apply(y).backward();
        assertValues(y.grad(), 4);
    }

    @Test
    void backwardReturningTheWrongNumberOfGradientsNamesTheFunction() {
        Function bad = new Function() {
            @Override
            protected Tensor[] forward(FunctionContext ctx, Tensor... in) {
                return new Tensor[] {in[0].mul(2)};
            }

            @Override
            protected Tensor[] backward(FunctionContext ctx, Tensor... g) {
                return new Tensor[] {g[0], g[0]};
            }

            @Override
            public String name() {
                return "Bad";
            }
        };
        assertThrowsWith(AutogradException.class, () -> bad.apply(Ember.ones(2).requiresGrad_()).sum().backward(),
                "Bad.backward returned 2 gradients", "forward took 1 tensor input");
    }

    @Test
    void backwardReturningAWrongShapeOrDtypeNamesTheFunctionAndTheInput() {
        Function badShape = new ScaledProduct(1.0) {
            @Override
            protected Tensor[] backward(FunctionContext ctx, Tensor... g) {
                return new Tensor[] {g[0], Ember.ones(3)};
            }

            @Override
            public String name() {
                return "BadShape";
            }
        };
        Tensor a = Ember.ones(2).requiresGrad_();
        Tensor b = Ember.ones(2).requiresGrad_();
        assertThrowsWith(AutogradException.class, () -> badShape.applyAll(a, b)[0].sum().backward(),
                "BadShape.backward", "shape [3]", "input 1", "[2]");
        Function badType = new ScaledProduct(1.0) {
            @Override
            protected Tensor[] backward(FunctionContext ctx, Tensor... g) {
                return new Tensor[] {g[0].to(DType.FLOAT64), null};
            }

            @Override
            public String name() {
                return "BadType";
            }
        };
        assertThrowsWith(AutogradException.class, () -> badType.applyAll(a, b)[0].sum().backward(),
                "BadType.backward", "float64", "input 0", "float32");
    }

    @Test
    void savedTensorsAreVersionChecked() {
        Tensor x = Ember.tensor(1.0, 2.0).requiresGrad_();
        Tensor h = x.mul(1.0);
        Tensor out = new MySquare().apply(h);
        h.add_(1.0);
        assertThrowsWith(AutogradException.class, () -> out.sum().backward(), "MySquareBackward", "add_()");
    }

    @Test
    void misuseOfTheContextIsReported() {
        Function markStranger = new Function() {
            @Override
            protected Tensor[] forward(FunctionContext ctx, Tensor... in) {
                Tensor other = in[0].mul(2);
                ctx.markDirty(other);
                return new Tensor[] {other};
            }

            @Override
            protected Tensor[] backward(FunctionContext ctx, Tensor... g) {
                return new Tensor[] {g[0]};
            }
        };
        assertThrowsWith(AutogradException.class, () -> markStranger.apply(Ember.ones(2)), "markDirty",
                "not an input");
        Function empty = new Function() {
            @Override
            protected Tensor[] forward(FunctionContext ctx, Tensor... in) {
                return new Tensor[0];
            }

            @Override
            protected Tensor[] backward(FunctionContext ctx, Tensor... g) {
                return new Tensor[0];
            }
        };
        assertThrowsWith(AutogradException.class, () -> empty.applyAll(Ember.ones(1)), "no outputs");
        assertThrowsWith(AutogradException.class,
                () -> new ScaledProduct(1).apply(Ember.ones(1), Ember.ones(1)), "2 outputs", "applyAll");
    }

    @Test
    void nonTensorValuesTravelInTheContext() {
        Function reshape = new Function() {
            @Override
            protected Tensor[] forward(FunctionContext ctx, Tensor... in) {
                ctx.put("shape", in[0].shape());
                return new Tensor[] {in[0].reshape(-1)};
            }

            @Override
            protected Tensor[] backward(FunctionContext ctx, Tensor... g) {
                int[] shape = ctx.get("shape");
                return new Tensor[] {g[0].reshape(shape)};
            }
        };
        Tensor x = Ember.ones(2, 3).requiresGrad_();
        reshape.apply(x).mul(Ember.arange(0.0, 6.0, 1.0)).sum().backward();
        assertValues(x.grad(), 0, 1, 2, 3, 4, 5);
    }

    /** MySquare with a forward-mode rule: d(x^2) = 2 x dx. */
    static class MySquareWithJvp extends Function {
        @Override
        protected Tensor[] forward(FunctionContext ctx, Tensor... in) {
            ctx.saveForBackward(in[0]);
            return new Tensor[] {in[0].pow(2)};
        }

        @Override
        protected Tensor[] backward(FunctionContext ctx, Tensor... g) {
            return new Tensor[] {g[0].mul(ctx.savedTensors()[0].mul(2))};
        }

        @Override
        protected Tensor[] jvp(FunctionContext ctx, Tensor... t) {
            return new Tensor[] {t[0].mul(ctx.savedTensors()[0].mul(2))};
        }
    }

    @Test
    void forwardModeUsesTheFunctionsJvp() {
        try (DualLevel level = ForwardAD.dualLevel()) {
            Tensor x = ForwardAD.makeDual(Ember.tensor(3.0, -1.0), Ember.tensor(1.0, 0.5));
            Tensor y = new MySquareWithJvp().apply(x);
            assertValues(ForwardAD.unpackDual(y).tangent(), 6, -1);
            Tensor xr = ForwardAD.makeDual(Ember.tensor(2.0).requiresGrad_(), Ember.tensor(1.0));
            Tensor yr = new MySquareWithJvp().apply(xr);
            assertValues(ForwardAD.unpackDual(yr).tangent(), 4);
            assertEquals("MySquareWithJvpBackward", yr.gradFn().name());
        }
    }

    @Test
    void forwardModeThroughAFunctionWithoutJvpFailsClearly() {
        try (DualLevel level = ForwardAD.dualLevel()) {
            Tensor x = ForwardAD.makeDual(Ember.tensor(3.0), Ember.tensor(1.0));
            assertThrowsWith(AutogradException.class, () -> new MySquare().apply(x), "MySquare does not define jvp");
        }
        Tensor plain = new MySquare().apply(Ember.tensor(3.0));
        assertValues(plain, 9);
    }

    @Test
    void aJvpOfTheWrongShapeNamesTheFunctionAndTheOutput() {
        Function bad = new MySquareWithJvp() {
            @Override
            protected Tensor[] jvp(FunctionContext ctx, Tensor... t) {
                return new Tensor[] {Ember.ones(3)};
            }

            @Override
            public String name() {
                return "BadJvp";
            }
        };
        try (DualLevel level = ForwardAD.dualLevel()) {
            Tensor x = ForwardAD.makeDual(Ember.tensor(3.0, 1.0), Ember.tensor(1.0, 1.0));
            assertThrowsWith(AutogradException.class, () -> bad.apply(x), "BadJvp.jvp", "output 0", "[3]", "[2]");
        }
    }
}
