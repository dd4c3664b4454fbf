package dev.ember.examples.bench;

import dev.ember.Tensor;
import dev.ember.nn.Linear;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.util.List;

/**
 * DL4J's side of a {@link Workload}: a {@link MultiLayerNetwork} (DenseLayers and an OutputLayer, float32) with
 * DL4J's momentum updater, {@link Nesterovs}(lr 0.01, momentum 0.9), started from the Ember model's initial weights
 * and data, so that its first loss equals Ember's. One step is {@code net.fit(features, labels)}, which zeroes the
 * gradients, runs forward, the loss, backward and the updater.
 *
 * <p>DL4J has no heavy-ball momentum (PyTorch's default): {@code Sgd} has no momentum and {@code Nesterovs} is
 * Nesterov's form, {@code v = μv − lr·g; p += (1+μ)v − μ·v_prev}, which is PyTorch's
 * {@code SGD(momentum=μ, nesterov=True)}; {@link Workloads} checks this in every run on W1 and W2.
 * Cross-entropy is DL4J's fused softmax output with MCXENT over one-hot labels (its gradient is p − y, as with
 * PyTorch's cross-entropy from logits); MSE is DL4J's MSE, which averages over the outputs and the batch like
 * PyTorch's mean reduction.
 *
 * <pre>{@code
 * EmberTrainer ember = EmberTrainer.create(Workload.W1, false);
 * Dl4jTrainer dl4j = Dl4jTrainer.from(Workload.W1, ember);
 * dl4j.step();
 * }</pre>
 */
final class Dl4jTrainer implements Trainer {
    private final MultiLayerNetwork net;
    private final INDArray features;
    private final INDArray labels;

    private Dl4jTrainer(MultiLayerNetwork net, INDArray features, INDArray labels) {
        this.net = net;
        this.features = features;
        this.labels = labels;
    }

    /** The workload in DL4J, with the Ember trainer's initial weights, inputs and targets. */
    static Dl4jTrainer from(Workload w, EmberTrainer ember) {
        int[] widths = w.widths();
        Activation hidden = w.tanh() ? Activation.TANH : Activation.RELU;
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(0)
                .dataType(DataType.FLOAT)
                .updater(new Nesterovs(Workload.LR, Workload.MOMENTUM))
                .list();
        int last = widths.length - 2;
        for (int i = 0; i < last; i++) {
            list.layer(new DenseLayer.Builder().nIn(widths[i]).nOut(widths[i + 1]).activation(hidden).build());
        }
        list.layer(w.crossEntropy()
                ? new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nIn(widths[last]).nOut(widths[last + 1]).build()
                : new OutputLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY)
                        .nIn(widths[last]).nOut(widths[last + 1]).build());
        MultiLayerConfiguration conf = list.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();

        List<Linear> layers = ember.layers();
        for (int i = 0; i < layers.size(); i++) {
            Linear l = layers.get(i);
            // Ember's (and PyTorch's) weight is [out, in]; DL4J's W is [in, out]; its bias b is [1, out].
            INDArray weight = Nd4j.create(l.weight().toFloatArray(), new long[] {l.outFeatures(), l.inFeatures()}, 'c');
            net.getLayer(i).setParam("W", weight.transpose());
            net.getLayer(i).setParam("b", Nd4j.create(l.bias().toFloatArray(), new long[] {1, l.outFeatures()}, 'c'));
        }
        INDArray features = floats(ember.input());
        INDArray labels;
        if (w.crossEntropy()) {
            long[] classes = ember.classTargets().toLongArray();
            labels = Nd4j.zeros(DataType.FLOAT, w.batch(), w.outputs());
            for (int r = 0; r < classes.length; r++) {
                labels.putScalar(r, classes[r], 1.0);
            }
        } else {
            labels = floats(ember.realTargets());
        }
        return new Dl4jTrainer(net, features, labels);
    }

    private static INDArray floats(Tensor t) {
        long[] shape = new long[t.dim()];
        for (int d = 0; d < shape.length; d++) {
            shape[d] = t.size(d);
        }
        return Nd4j.create(t.toFloatArray(), shape, 'c');
    }

    @Override
    public void step() {
        net.fit(features, labels);
    }

    @Override
    public double lastLoss() {
        return net.score();
    }

    /** What the DL4J side is made of, for the report. */
    static String describe() {
        return "MultiLayerNetwork (DenseLayer…, OutputLayer: identity+MSE or softmax+MCXENT on one-hot labels), "
                + "float32, updater Nesterovs(0.01, 0.9), default workspaces; one step = net.fit(features, labels)";
    }
}
