package dev.ember.nn;

import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.EmberException;
import dev.ember.ShapeException;
import dev.ember.Tensor;
import dev.ember.nn.functional.Normalization;
import dev.ember.nn.init.Init;

import java.util.Arrays;

/**
 * What {@link BatchNorm1d} and {@link BatchNorm2d} share (PyTorch's {@code _BatchNorm}): per-channel normalisation
 * of dimension 1 with the batch's statistics in training and the running ones in evaluation, a weight (ones) and
 * bias (zeros) with affine, and the buffers {@code running_mean} (zeros), {@code running_var} (ones) and
 * {@code num_batches_tracked} (an int64 count) with trackRunningStats. In training each forward updates the running
 * statistics in place: running = (1 - momentum) running + momentum · batch statistic, with the unbiased batch
 * variance, as PyTorch does; with a null momentum, the factor is 1 / num_batches_tracked (a cumulative average).
 *
 * <pre>{@code
 * BatchNorm1d bn = new BatchNorm1d(3);
 * bn.forward(Ember.randn(8, 3));          // training: batch statistics; running statistics updated
 * bn.eval();
 * bn.forward(Ember.randn(2, 3));          // evaluation: running statistics
 * }</pre>
 */
public abstract class BatchNormBase extends Module {
    private final int numFeatures;
    private final BatchNormOptions options;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor numBatchesTracked;
    private String description;

    protected BatchNormBase(int numFeatures, BatchNormOptions options) {
        if (numFeatures <= 0) {
            throw new ShapeException(getClass().getSimpleName() + ": numFeatures must be positive, got " + numFeatures);
        }
        if (options == null) {
            throw new EmberException(getClass().getSimpleName() + ": options must not be null; use "
                    + "BatchNormOptions.DEFAULT");
        }
        this.numFeatures = numFeatures;
        this.options = options;
        this.weight = registerParameter("weight", options.affine() ? Ember.ones(numFeatures) : null);
        this.bias = registerParameter("bias", options.affine() ? Ember.zeros(numFeatures) : null);
        boolean track = options.trackRunningStats();
        this.runningMean = registerBuffer("running_mean", track ? Ember.zeros(numFeatures) : null);
        this.runningVar = registerBuffer("running_var", track ? Ember.ones(numFeatures) : null);
        this.numBatchesTracked = registerBuffer("num_batches_tracked", track ? Ember.scalar(DType.INT64, 0) : null);
    }

    /** Checks the input's rank; the message names the layer and the ranks it accepts. */
    protected abstract void checkInputDim(Tensor input);

    /** Running mean back to zeros, running variance to ones and the batch count to 0. */
    public void resetRunningStats() {
        if (options.trackRunningStats()) {
            Init.zeros_(runningMean);
            Init.ones_(runningVar);
            Init.zeros_(numBatchesTracked);
        }
    }

    /** resetRunningStats, then weight back to ones and bias to zeros (PyTorch's reset_parameters). */
    public void resetParameters() {
        resetRunningStats();
        if (options.affine()) {
            Init.ones_(weight);
            Init.zeros_(bias);
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input == null) {
            throw new EmberException(this + ": the input tensor is null");
        }
        checkInputDim(input);
        if (input.size(1) != numFeatures) {
            throw new ShapeException(this + " got input of shape " + Arrays.toString(input.shape()) + ": dimension 1 "
                    + "(the channels) must be " + numFeatures);
        }
        double factor = options.momentum() == null ? 0.0 : options.momentum();
        if (isTraining() && options.trackRunningStats()) {
            if (input.numel() / numFeatures <= 1) {
                throw new ShapeException(this + ": expected more than 1 value per channel when training, got input "
                        + "of shape " + Arrays.toString(input.shape()) + "; use a batch of at least 2, or call "
                        + "eval() to use the running statistics");
            }
            try (var g = Ember.noGrad()) {
                numBatchesTracked.add_(1L);
            }
            if (options.momentum() == null) {
                factor = 1.0 / numBatchesTracked.item();
            }
        }
        boolean useBatchStats = isTraining() || (runningMean == null && runningVar == null);
        boolean passRunning = !isTraining() || options.trackRunningStats();
        if (description == null) {
            description = toString();
        }
        return Normalization.batchNorm(description, input, passRunning ? runningMean : null,
                passRunning ? runningVar : null, weight, bias, useBatchStats, factor, options.eps());
    }

    public int numFeatures() {
        return numFeatures;
    }

    public BatchNormOptions options() {
        return options;
    }

    /** The weight, or null without affine. */
    public Tensor weight() {
        return weight;
    }

    /** The bias, or null without affine. */
    public Tensor bias() {
        return bias;
    }

    /** The running mean buffer, or null without trackRunningStats. */
    public Tensor runningMean() {
        return runningMean;
    }

    /** The running (unbiased) variance buffer, or null without trackRunningStats. */
    public Tensor runningVar() {
        return runningVar;
    }

    /** How many training batches updated the running statistics (an int64 0-d buffer), or null. */
    public Tensor numBatchesTracked() {
        return numBatchesTracked;
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + PyRepr.number(options.eps()) + ", momentum="
                + (options.momentum() == null ? "None" : PyRepr.number(options.momentum())) + ", affine="
                + PyRepr.bool(options.affine()) + ", track_running_stats=" + PyRepr.bool(options.trackRunningStats());
    }
}
