package dev.ember.nn;

/**
 * The settings of {@link BatchNorm1d} and {@link BatchNorm2d}, PyTorch's keyword arguments as a record with
 * withers: eps (added to the variance), momentum (of the running statistics' exponential average; null for a
 * cumulative average over all batches, PyTorch's {@code momentum=None}), affine (a learnable weight and bias) and
 * trackRunningStats (keep running statistics and use them in eval mode; without them, batch statistics are used
 * in both modes).
 *
 * <pre>{@code
 * BatchNorm2d bn = new BatchNorm2d(16, BatchNormOptions.DEFAULT.withMomentum(0.01).withEps(1e-3));
 * BatchNorm1d plain = new BatchNorm1d(8, BatchNormOptions.DEFAULT.withAffine(false));
 * }</pre>
 *
 * @param eps               added to the variance for stability (default 1e-5)
 * @param momentum          the weight of the new batch in the running statistics (default 0.1), or null
 * @param affine            whether the layer has a weight (ones) and bias (zeros) (default true)
 * @param trackRunningStats whether the layer keeps running statistics (default true)
 */
public record BatchNormOptions(double eps, Double momentum, boolean affine, boolean trackRunningStats) {
    /** PyTorch's defaults: eps 1e-5, momentum 0.1, affine, tracking running statistics. */
    public static final BatchNormOptions DEFAULT = new BatchNormOptions(1e-5, 0.1, true, true);

    public BatchNormOptions withEps(double eps) {
        return new BatchNormOptions(eps, momentum, affine, trackRunningStats);
    }

    /** The momentum, or null for a cumulative moving average (each batch weighted 1 / batches seen). */
    public BatchNormOptions withMomentum(Double momentum) {
        return new BatchNormOptions(eps, momentum, affine, trackRunningStats);
    }

    public BatchNormOptions withAffine(boolean affine) {
        return new BatchNormOptions(eps, momentum, affine, trackRunningStats);
    }

    public BatchNormOptions withTrackRunningStats(boolean trackRunningStats) {
        return new BatchNormOptions(eps, momentum, affine, trackRunningStats);
    }
}
