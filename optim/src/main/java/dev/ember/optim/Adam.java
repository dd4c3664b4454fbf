package dev.ember.optim;

import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.kernels.OptimizerKernels;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adam (Kingma and Ba), with the AMSGrad variant, L2 weight decay and maximization: PyTorch 1.13's
 * {@code torch.optim.Adam}, step for step. For each parameter p with gradient g, at step t:
 * <pre>
 *   g = maximize ? -g : g;   g = g + weightDecay * p
 *   m = beta1 * m + (1 - beta1) * g;   v = beta2 * v + (1 - beta2) * g * g
 *   vmax = max(vmax, v)                                                  (amsgrad; then v is vmax below)
 *   p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 *
 * <pre>{@code
 * Adam opt = new Adam(model.parameters(), Adam.options().lr(1e-3).betas(0.9, 0.999).amsgrad(true));
 * opt.zeroGrad();
 * model.forward(x).sub(y).pow(2).mean().backward();
 * opt.step();
 * }</pre>
 *
 * <p>Options (PyTorch's defaults): {@code lr} 1e-3, {@code betas} (0.9, 0.999) (each in [0, 1), kept as
 * {@code beta1} and {@code beta2}), {@code eps} 1e-8, {@code weightDecay} 0, {@code amsgrad} false,
 * {@code maximize} false. State: {@code step}, {@code exp_avg}, {@code exp_avg_sq}, and with amsgrad
 * {@code max_exp_avg_sq}.
 */
public final class Adam extends Optimizer {
    static final Set<String> STATE = Set.of("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq");

    static List<Option> spec(double weightDecay) {
        return List.of(
                Option.nonNegative("lr", 1e-3),
                Option.number("beta1", 0.9, v -> v >= 0 && v < 1, "in [0, 1)"),
                Option.number("beta2", 0.999, v -> v >= 0 && v < 1, "in [0, 1)"),
                Option.nonNegative("eps", 1e-8),
                Option.nonNegative("weight_decay", weightDecay),
                Option.flag("amsgrad", false),
                Option.flag("maximize", false));
    }

    /** Adam's options: {@code Adam.options().lr(1e-3).betas(0.9, 0.999)}. */
    public static final class Options extends OptimizerOptions<Options> {
        private Options() {
        }

        /** The decay rates of the moving averages of the gradient and of its square (default 0.9, 0.999). */
        public Options betas(double beta1, double beta2) {
            return put("beta1", beta1).put("beta2", beta2);
        }

        /** Added to the denominator for numerical stability (default 1e-8). */
        public Options eps(double eps) {
            return put("eps", eps);
        }

        /** L2 penalty added to the gradient (default 0). */
        public Options weightDecay(double weightDecay) {
            return put("weight_decay", weightDecay);
        }

        /** The AMSGrad variant: normalize by the largest second moment so far (default false). */
        public Options amsgrad(boolean amsgrad) {
            return put("amsgrad", amsgrad);
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

    /** Adam over one group of parameters. */
    public Adam(Iterable<Tensor> params, Options options) {
        super(spec(0.0), STATE, params, options);
    }

    /** Adam with PyTorch's defaults (lr 1e-3). */
    public Adam(Iterable<Tensor> params) {
        this(params, options());
    }

    /** Adam over several parameter groups; options a group does not set come from {@code defaults}. */
    public Adam(List<ParamGroup> groups, Options defaults) {
        super(spec(0.0), STATE, groups, defaults);
    }

    @Override
    protected List<String> requiredState(Map<String, Object> options) {
        return adamRequiredState(options);
    }

    static List<String> adamRequiredState(Map<String, Object> options) {
        List<String> keys = new ArrayList<>(List.of("step", "exp_avg", "exp_avg_sq"));
        if ((Boolean) options.get("amsgrad")) {
            keys.add("max_exp_avg_sq");
        }
        return keys;
    }

    @Override
    protected void stepGroup(ParamGroup group) {
        update(this, group, false);
    }

    /** The update of Adam and (decoupled) of AdamW, as PyTorch's _single_tensor_adam(w) computes it. */
    static void update(Optimizer opt, ParamGroup group, boolean decoupled) {
        double lr = group.lr();
        double beta1 = group.getDouble("beta1");
        double beta2 = group.getDouble("beta2");
        double eps = group.getDouble("eps");
        double weightDecay = group.getDouble("weight_decay");
        boolean amsgrad = group.getBoolean("amsgrad");
        boolean maximize = group.getBoolean("maximize");
        for (Tensor p : group.params()) {
            Tensor grad = p.grad();
            if (grad == null) {
                continue;
            }
            Map<String, Object> state = opt.mutableState(p);
            if (state.isEmpty()) {
                state.put("step", 0L);
                state.put("exp_avg", Ember.zerosLike(p));
                state.put("exp_avg_sq", Ember.zerosLike(p));
                if (amsgrad) {
                    state.put("max_exp_avg_sq", Ember.zerosLike(p));
                }
            }
            long step = nextStep(state);
            Tensor expAvg = tensorState(state, "exp_avg");
            Tensor expAvgSq = tensorState(state, "exp_avg_sq");
            Tensor max = null;
            if (amsgrad) {
                max = tensorState(state, "max_exp_avg_sq");
                if (max == null) {
                    max = Ember.zerosLike(p);
                    state.put("max_exp_avg_sq", max);
                }
            }
            if (opt.fusable(p, grad, expAvg, expAvgSq, max)) {
                OptimizerKernels.adam(p.impl(), grad.impl(), expAvg.impl(), expAvgSq.impl(),
                        max == null ? null : max.impl(), step, lr, beta1, beta2, eps, weightDecay, decoupled, maximize);
                opt.written(p, expAvg, expAvgSq, max);
                continue;
            }
            // the same update as separate in-place ops: PyTorch's _single_tensor_adam(w)
            if (maximize) {
                grad = grad.neg();
            }
            if (decoupled) {
                if (weightDecay != 0) {
                    p.mul_(1 - lr * weightDecay);
                }
            } else if (weightDecay != 0) {
                grad = grad.add(p.mul(weightDecay));
            }
            expAvg.mul_(beta1).add_(grad, 1 - beta1);
            expAvgSq.mul_(beta2).addcmul_(grad, grad, 1 - beta2);
            double stepSize = lr / (1 - Math.pow(beta1, step));
            double biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
            if (amsgrad) {
                max.copy_(max.maximum(expAvgSq));
            }
            Tensor denom = (amsgrad ? max : expAvgSq).sqrt().div_(biasCorrection2Sqrt).add_(eps);
            p.addcdiv_(expAvg, denom, -stepSize);
        }
    }
}
