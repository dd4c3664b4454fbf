/**
 * Optimizers and learning-rate schedulers: PyTorch 1.13's {@code torch.optim} and {@code torch.optim.lr_scheduler}
 * in Java, step for step (trajectories match PyTorch's to about 1e-15 in float64; see the tests module's
 * {@code OptimConformanceTest}).
 *
 * <pre>{@code
 * SGD opt = new SGD(model.parameters(), SGD.options().lr(0.1).momentum(0.9));
 * CosineAnnealingLR sched = new CosineAnnealingLR(opt, 100);
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     opt.zeroGrad();
 *     Tensor loss = model.forward(x).sub(y).pow(2).mean();
 *     loss.backward();
 *     opt.step();
 *     sched.step();
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@link dev.ember.optim.Optimizer}: parameter groups ({@link dev.ember.optim.ParamGroup}), per-parameter
 *       state, zeroGrad, step, flat state dicts (the layout is described there).</li>
 *   <li>{@link dev.ember.optim.SGD}, {@link dev.ember.optim.Adam}, {@link dev.ember.optim.AdamW},
 *       {@link dev.ember.optim.RMSprop}, {@link dev.ember.optim.Adagrad}: options through builders
 *       ({@code Adam.options().lr(1e-3).betas(0.9, 0.999)}), checked when the optimizer is made.</li>
 *   <li>{@link dev.ember.optim.LRScheduler} and its StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LinearLR,
 *       LambdaLR and OneCycleLR; {@link dev.ember.optim.ReduceLROnPlateau}.</li>
 * </ul>
 *
 * <p>The module depends on the framework only: optimizers work on leaf tensors, not on modules. See
 * {@code docs/OPTIM.md} for where Ember deliberately differs from PyTorch.
 */
package dev.ember.optim;
