package dev.ember.optim;

import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.kernels.OptimizerKernels;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adagrad (Duchi et al.): PyTorch 1.13's {@code torch.optim.Adagrad}, step for step. For each parameter p with
 * gradient g, at step t:
 * <pre>
 *   g = maximize ? -g : g;   g = g + weightDecay * p
 *   clr = lr / (1 + (t - 1) * lrDecay)
 *   sum = sum + g * g
 *   p = p - clr * g / (sqrt(sum) + eps)
 * </pre>
 *
 * <pre>{@code
 * Adagrad opt = new Adagrad(model.parameters(), Adagrad.options().lr(0.1).initialAccumulatorValue(0.1));
 * opt.zeroGrad();
 * model.forward(x).sub(y).pow(2).mean().backward();
 * opt.step();
 * }</pre>
 *
 * <p>Options (PyTorch's defaults): {@code lr} 1e-2, {@code lrDecay} 0, {@code weightDecay} 0,
 * {@code initialAccumulatorValue} 0, {@code eps} 1e-10 (all &gt;= 0), {@code maximize} false. State, created when
 * a parameter's group is added (as PyTorch does in the constructor): {@code step} 0 and {@code sum} filled with the
 * group's initial accumulator value.
 */
public final class Adagrad extends Optimizer {
    static final List<Option> OPTIONS = List.of(
            Option.nonNegative("lr", 1e-2),
            Option.nonNegative("lr_decay", 0.0),
            Option.nonNegative("eps", 1e-10),
            Option.nonNegative("weight_decay", 0.0),
            Option.nonNegative("initial_accumulator_value", 0.0),
            Option.flag("maximize", false));

    /** Adagrad's options: {@code Adagrad.options().lr(0.01).lrDecay(1e-4)}. */
    public static final class Options extends OptimizerOptions<Options> {
        private Options() {
        }

        /** Learning-rate decay: step t uses {@code lr / (1 + (t - 1) * lrDecay)} (default 0). */
        public Options lrDecay(double lrDecay) {
            return put("lr_decay", lrDecay);
        }

        /** L2 penalty added to the gradient (default 0). */
        public Options weightDecay(double weightDecay) {
            return put("weight_decay", weightDecay);
        }

        /** The starting value of the sum of squared gradients (default 0). */
        public Options initialAccumulatorValue(double value) {
            return put("initial_accumulator_value", value);
        }

        /** Added to the denominator for numerical stability (default 1e-10). */
        public Options eps(double eps) {
            return put("eps", eps);
        }

        /** Maximize the objective instead of minimizing it (default false). */
        public Options maximize(boolean maximize) {
            return put("maximize", maximize);
        }
    }

    /** New options, all at PyTorch's defaults. */
    public static Options options() {
        return new Options();
    }

    /** Adagrad over one group of parameters. */
    public Adagrad(Iterable<Tensor> params, Options options) {
        super(OPTIONS, Set.of("step", "sum"), params, options);
    }

    /** Adagrad with PyTorch's defaults (lr 1e-2). */
    public Adagrad(Iterable<Tensor> params) {
        this(params, options());
    }

    /** Adagrad over several parameter groups; options a group does not set come from {@code defaults}. */
    public Adagrad(List<ParamGroup> groups, Options defaults) {
        super(OPTIONS, Set.of("step", "sum"), groups, defaults);
    }

    @Override
    protected void initState(ParamGroup group, Tensor param, Map<String, Object> state) {
        state.put("step", 0L);
        state.put("sum", Ember.fullLike(param, group.getDouble("initial_accumulator_value")));
    }

    @Override
    protected List<String> requiredState(Map<String, Object> options) {
        return List.of("step", "sum");
    }

    @Override
    protected void stepGroup(ParamGroup group) {
        double lr = group.lr();
        double lrDecay = group.getDouble("lr_decay");
        double eps = group.getDouble("eps");
        double weightDecay = group.getDouble("weight_decay");
        boolean maximize = group.getBoolean("maximize");
        for (Tensor p : group.params()) {
            Tensor grad = p.grad();
            if (grad == null) {
                continue;
            }
            Map<String, Object> state = mutableState(p);
            if (!state.containsKey("sum")) {
                initState(group, p, state);
            }
            long step = nextStep(state);
            double clr = lr / (1 + (step - 1) * lrDecay);
            Tensor sum = tensorState(state, "sum");
            if (fusable(p, grad, sum)) {
                OptimizerKernels.adagrad(p.impl(), grad.impl(), sum.impl(), clr, eps, weightDecay, maximize);
                written(p, sum);
                continue;
            }
            // the same update as separate in-place ops: PyTorch's _single_tensor_adagrad
            if (maximize) {
                grad = grad.neg();
            }
            if (weightDecay != 0) {
                grad = grad.add(p.mul(weightDecay));
            }
            sum.addcmul_(grad, grad, 1);
            Tensor std = sum.sqrt().add_(eps);
            p.addcdiv_(grad, std, -clr);
        }
    }
}
