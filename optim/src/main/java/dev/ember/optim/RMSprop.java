package dev.ember.optim;

import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.kernels.OptimizerKernels;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RMSprop (Hinton), optionally centered and with momentum: PyTorch 1.13's {@code torch.optim.RMSprop}, step for
 * step. For each parameter p with gradient g:
 * <pre>
 *   g = maximize ? -g : g;   g = g + weightDecay * p
 *   v = alpha * v + (1 - alpha) * g * g
 *   avg = sqrt(v) + eps, or when centered: gAvg = alpha * gAvg + (1 - alpha) * g;  avg = sqrt(v - gAvg^2) + eps
 *   momentum &gt; 0:  buf = momentum * buf + g / avg;  p = p - lr * buf
 *   otherwise:     p = p - lr * g / avg
 * </pre>
 *
 * <pre>{@code
 * RMSprop opt = new RMSprop(model.parameters(), RMSprop.options().lr(0.01).momentum(0.9).centered(true));
 * opt.zeroGrad();
 * model.forward(x).sub(y).pow(2).mean().backward();
 * opt.step();
 * }</pre>
 *
 * <p>Options (PyTorch's defaults): {@code lr} 1e-2, {@code alpha} 0.99, {@code eps} 1e-8, {@code weightDecay} 0,
 * {@code momentum} 0, {@code centered} false, {@code maximize} false (all numbers &gt;= 0). State: {@code step},
 * {@code square_avg}, with momentum {@code momentum_buffer}, when centered {@code grad_avg}.
 */
public final class RMSprop extends Optimizer {
    static final List<Option> OPTIONS = List.of(
            Option.nonNegative("lr", 1e-2),
            Option.nonNegative("momentum", 0.0),
            Option.nonNegative("alpha", 0.99),
            Option.nonNegative("eps", 1e-8),
            Option.flag("centered", false),
            Option.nonNegative("weight_decay", 0.0),
            Option.flag("maximize", false));
    static final Set<String> STATE = Set.of("step", "square_avg", "momentum_buffer", "grad_avg");

    /** RMSprop's options: {@code RMSprop.options().lr(0.01).alpha(0.99)}. */
    public static final class Options extends OptimizerOptions<Options> {
        private Options() {
        }

        /** The decay of the moving average of the squared gradient (default 0.99). */
        public Options alpha(double alpha) {
            return put("alpha", alpha);
        }

        /** Added to the denominator for numerical stability (default 1e-8). */
        public Options eps(double eps) {
            return put("eps", eps);
        }

        /** L2 penalty added to the gradient (default 0). */
        public Options weightDecay(double weightDecay) {
            return put("weight_decay", weightDecay);
        }

        /** The momentum factor (default 0). */
        public Options momentum(double momentum) {
            return put("momentum", momentum);
        }

        /** Normalize by an estimate of the gradient's variance instead of its second moment (default false). */
        public Options centered(boolean centered) {
            return put("centered", centered);
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

    /** RMSprop over one group of parameters. */
    public RMSprop(Iterable<Tensor> params, Options options) {
        super(OPTIONS, STATE, params, options);
    }

    /** RMSprop with PyTorch's defaults (lr 1e-2). */
    public RMSprop(Iterable<Tensor> params) {
        this(params, options());
    }

    /** RMSprop over several parameter groups; options a group does not set come from {@code defaults}. */
    public RMSprop(List<ParamGroup> groups, Options defaults) {
        super(OPTIONS, STATE, groups, defaults);
    }

    @Override
    protected List<String> requiredState(Map<String, Object> options) {
        List<String> keys = new ArrayList<>(List.of("step", "square_avg"));
        if ((Double) options.get("momentum") > 0) {
            keys.add("momentum_buffer");
        }
        if ((Boolean) options.get("centered")) {
            keys.add("grad_avg");
        }
        return keys;
    }

    @Override
    protected void stepGroup(ParamGroup group) {
        double lr = group.lr();
        double alpha = group.getDouble("alpha");
        double eps = group.getDouble("eps");
        double weightDecay = group.getDouble("weight_decay");
        double momentum = group.getDouble("momentum");
        boolean centered = group.getBoolean("centered");
        boolean maximize = group.getBoolean("maximize");
        for (Tensor p : group.params()) {
            Tensor grad = p.grad();
            if (grad == null) {
                continue;
            }
            Map<String, Object> state = mutableState(p);
            if (state.isEmpty()) {
                state.put("step", 0L);
                state.put("square_avg", Ember.zerosLike(p));
                if (momentum > 0) {
                    state.put("momentum_buffer", Ember.zerosLike(p));
                }
                if (centered) {
                    state.put("grad_avg", Ember.zerosLike(p));
                }
            }
            nextStep(state);
            Tensor squareAvg = tensorState(state, "square_avg");
            Tensor gradAvg = centered ? lazyZeros(state, "grad_avg", p) : null;
            Tensor buf = momentum > 0 ? lazyZeros(state, "momentum_buffer", p) : null;
            if (fusable(p, grad, squareAvg, gradAvg, buf)) {
                OptimizerKernels.rmsprop(p.impl(), grad.impl(), squareAvg.impl(),
                        gradAvg == null ? null : gradAvg.impl(), buf == null ? null : buf.impl(), lr, alpha, eps,
                        weightDecay, momentum, maximize);
                written(p, squareAvg, gradAvg, buf);
                continue;
            }
            // the same update as separate in-place ops: PyTorch's _single_tensor_rmsprop
            if (maximize) {
                grad = grad.neg();
            }
            if (weightDecay != 0) {
                grad = grad.add(p.mul(weightDecay));
            }
            squareAvg.mul_(alpha).addcmul_(grad, grad, 1 - alpha);
            Tensor avg;
            if (centered) {
                gradAvg.mul_(alpha).add_(grad, 1 - alpha);
                avg = squareAvg.clone().addcmul_(gradAvg, gradAvg, -1).sqrt_();
            } else {
                avg = squareAvg.sqrt();
            }
            avg.add_(eps);
            if (buf != null) {
                buf.mul_(momentum).addcdiv_(grad, avg);
                p.add_(buf, -lr);
            } else {
                p.addcdiv_(grad, avg, -lr);
            }
        }
    }

    /** A state tensor, created as zeros if an option was switched on after the parameter's first step. */
    private static Tensor lazyZeros(Map<String, Object> state, String key, Tensor p) {
        Tensor t = tensorState(state, key);
        if (t == null) {
            t = Ember.zerosLike(p);
            state.put(key, t);
        }
        return t;
    }
}
