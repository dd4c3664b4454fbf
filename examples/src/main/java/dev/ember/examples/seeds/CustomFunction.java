package dev.ember.examples.seeds;

import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.autograd.Function;
import dev.ember.autograd.FunctionContext;

import java.io.PrintStream;

/**
 * Seed 001, "Day 2: Autograd &amp; Computational Graphs - Theory &amp; Implementation", section 6 ("Advanced: Custom
 * Autograd Functions"): a squaring function with its own backward. The prints are added to show the results.
 *
 * <pre>{@code
 * class MySquare(torch.autograd.Function):
 *     @staticmethod
 *     def forward(ctx, input):
 *         ctx.save_for_backward(input) # Save for backward
 *         return input ** 2
 *
 *     @staticmethod
 *     def backward(ctx, grad_output):
 *         input, = ctx.saved_tensors
 *         # d(x^2)/dx = 2x
 *         # Chain rule: grad_output * local_derivative
 *         return grad_output * (2 * input)
 *
 * # Usage
 * sq = MySquare.apply
 * out = sq(torch.tensor(3.0, requires_grad=True))
 * out.backward()
 * }</pre>
 */
public final class CustomFunction {
    private CustomFunction() {
    }

    /** A static nested class plays the role of PyTorch's class with static methods. */
    static final class MySquare extends Function {
        @Override
        protected Tensor[] forward(FunctionContext ctx, Tensor... inputs) {
            Tensor input = inputs[0];
            ctx.saveForBackward(input); // Save for backward
            return new Tensor[] {input.pow(2)};
        }

        @Override
        protected Tensor[] backward(FunctionContext ctx, Tensor... gradOutputs) {
            Tensor input = ctx.savedTensors()[0];
            // d(x^2)/dx = 2x
            // Chain rule: grad_output * local_derivative
            return new Tensor[] {gradOutputs[0].mul(input.mul(2))};
        }
    }

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        // Usage
        MySquare sq = new MySquare();
        Tensor x = Ember.scalar(3.0).requiresGrad_();
        Tensor result = sq.apply(x);
        out.println(result);
        result.backward();
        out.println("x.grad: " + x.grad());
    }
}
