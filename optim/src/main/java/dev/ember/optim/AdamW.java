package dev.ember.optim;

import dev.ember.Tensor;

import java.util.List;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter): Adam with decoupled weight decay, PyTorch 1.13's {@code torch.optim.AdamW}, step
 * for step. The parameter is first shrunk, {@code p = p * (1 - lr * weightDecay)}, and then updated as by
 * {@link Adam} without weight decay in the gradient.
 *
 * <pre>{@code
 * AdamW opt = new AdamW(model.parameters(), AdamW.options().lr(1e-3).weightDecay(0.05));
 * opt.zeroGrad();
 * model.forward(x).sub(y).pow(2).mean().backward();
 * opt.step();
 * }</pre>
 *
 * <p>Options (PyTorch's defaults): {@code lr} 1e-3, {@code betas} (0.9, 0.999), {@code eps} 1e-8,
 * {@code weightDecay} 1e-2 (note: not 0 as in Adam), {@code amsgrad} false, {@code maximize} false. State as Adam's.
 */
public final class AdamW extends Optimizer {
    /** AdamW's options: {@code AdamW.options().lr(1e-3).weightDecay(0.01)}. */
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

        /** Decoupled weight decay: each step multiplies the parameter by {@code 1 - lr * weightDecay} (default
         * 1e-2). */
        public Options weightDecay(double weightDecay) {
            return put("weight_decay", weightDecay);
        }

        /** The AMSGrad variant (default false). */
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

    /** AdamW over one group of parameters. */
    public AdamW(Iterable<Tensor> params, Options options) {
        super(Adam.spec(1e-2), Adam.STATE, params, options);
    }

    /** AdamW with PyTorch's defaults (lr 1e-3, weight decay 1e-2). */
    public AdamW(Iterable<Tensor> params) {
        this(params, options());
    }

    /** AdamW over several parameter groups; options a group does not set come from {@code defaults}. */
    public AdamW(List<ParamGroup> groups, Options defaults) {
        super(Adam.spec(1e-2), Adam.STATE, groups, defaults);
    }

    @Override
    protected List<String> requiredState(Map<String, Object> options) {
        return Adam.adamRequiredState(options);
    }

    @Override
    protected void stepGroup(ParamGroup group) {
        Adam.update(this, group, true);
    }
}
