package dev.ember.optim;

import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.Tensor;
import dev.ember.kernels.OptimizerKernels;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stochastic gradient descent, optionally with momentum, Nesterov momentum, weight decay (L2) and maximization:
 * PyTorch 1.13's {@code torch.optim.SGD}, step for step. For each parameter p with gradient g:
 * <pre>
 *   g = maximize ? -g : g;   g = g + weightDecay * p
 *   buf = (first step) ? g : momentum * buf + (1 - dampening) * g          (when momentum != 0)
 *   g = nesterov ? g + momentum * buf : buf
 *   p = p - lr * g
 * </pre>
 *
 * <pre>{@code
 * SGD opt = new SGD(model.parameters(), SGD.options().lr(0.01).momentum(0.9));
 * opt.zeroGrad();
 * model.forward(x).sub(y).pow(2).mean().backward();
 * opt.step();
 * }</pre>
 *
 * <p>Options (PyTorch's defaults): {@code lr} (required, &gt;= 0), {@code momentum} 0 (&gt;= 0), {@code dampening}
 * 0, {@code weightDecay} 0 (&gt;= 0), {@code nesterov} false (needs momentum &gt; 0 and dampening 0),
 * {@code maximize} false. State: {@code momentum_buffer} (when momentum is not 0).
 */
public final class SGD extends Optimizer {
    static final List<Option> OPTIONS = List.of(
            Option.nonNegative("lr", null),
            Option.nonNegative("momentum", 0.0),
            Option.number("dampening", 0.0, v -> true, "a number"),
            Option.nonNegative("weight_decay", 0.0),
            Option.flag("nesterov", false),
            Option.flag("maximize", false));

    /** SGD's options: {@code SGD.options().lr(0.01).momentum(0.9)}. */
    public static final class Options extends OptimizerOptions<Options> {
        private Options() {
        }

        /** The momentum factor (default 0: plain gradient descent). */
        public Options momentum(double momentum) {
            return put("momentum", momentum);
        }

        /** Dampening of the momentum (default 0). */
        public Options dampening(double dampening) {
            return put("dampening", dampening);
        }

        /** L2 penalty added to the gradient: {@code g + weightDecay * p} (default 0). */
        public Options weightDecay(double weightDecay) {
            return put("weight_decay", weightDecay);
        }

        /** Nesterov momentum (default false). */
        public Options nesterov(boolean nesterov) {
            return put("nesterov", nesterov);
        }

        /** Maximize the objective instead of minimizing it (default false). */
        public Options maximize(boolean maximize) {
            return put("maximize", maximize);
        }
    }

    /** New options, all at PyTorch's defaults (lr must be set). */
    public static Options options() {
        return new Options();
    }

    /** SGD over one group of parameters. */
    public SGD(Iterable<Tensor> params, Options options) {
        super(OPTIONS, Set.of("momentum_buffer"), params, options);
    }

    /** Plain SGD with this learning rate: {@code new SGD(params, SGD.options().lr(lr))}. */
    public SGD(Iterable<Tensor> params, double lr) {
        this(params, options().lr(lr));
    }

    /** SGD over several parameter groups; options a group does not set come from {@code defaults}. */
    public SGD(List<ParamGroup> groups, Options defaults) {
        super(OPTIONS, Set.of("momentum_buffer"), groups, defaults);
    }

    @Override
    protected void checkGroup(Map<String, Object> o, String where) {
        if ((Boolean) o.get("nesterov") && ((Double) o.get("momentum") <= 0 || (Double) o.get("dampening") != 0)) {
            throw new EmberException(where + ": Nesterov momentum requires a momentum > 0 and zero dampening, got "
                    + "momentum " + format((Double) o.get("momentum")) + " and dampening "
                    + format((Double) o.get("dampening")));
        }
    }

    @Override
    protected void stepGroup(ParamGroup group) {
        double lr = group.lr();
        double momentum = group.getDouble("momentum");
        double dampening = group.getDouble("dampening");
        double weightDecay = group.getDouble("weight_decay");
        boolean nesterov = group.getBoolean("nesterov");
        boolean maximize = group.getBoolean("maximize");
        for (Tensor p : group.params()) {
            Tensor grad = p.grad();
            if (grad == null) {
                continue;
            }
            Map<String, Object> state = momentum != 0 ? mutableState(p) : null;
            Tensor buf = state == null ? null : tensorState(state, "momentum_buffer");
            if (fusable(p, grad, buf)) {
                boolean first = state != null && buf == null;
                if (first) {
                    buf = Ember.zerosLike(p);
                    state.put("momentum_buffer", buf);
                }
                OptimizerKernels.sgd(p.impl(), grad.impl(), buf == null ? null : buf.impl(), first, lr, momentum,
                        dampening, weightDecay, nesterov, maximize);
                written(p, buf);
                continue;
            }
            // the same update as separate in-place ops: PyTorch's _single_tensor_sgd
            Tensor d = maximize ? grad.neg() : grad;
            if (weightDecay != 0) {
                d = d.add(p.mul(weightDecay));
            }
            if (state != null) {
                if (buf == null) {
                    buf = d.clone();
                    state.put("momentum_buffer", buf);
                } else {
                    buf.mul_(momentum).add_(d, 1 - dampening);
                }
                d = nesterov ? d.add(buf.mul(momentum)) : buf;
            }
            p.add_(d, -lr);
        }
    }
}
