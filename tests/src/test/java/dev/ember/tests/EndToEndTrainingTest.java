package dev.ember.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ember.DType;
import dev.ember.Ember;
import dev.ember.Tensor;
import dev.ember.data.DataLoader;
import dev.ember.data.Digits;
import dev.ember.data.SupervisedData;
import dev.ember.data.Synthetic;
import dev.ember.data.TensorTuple;
import dev.ember.nn.BCEWithLogitsLoss;
import dev.ember.nn.Conv2d;
import dev.ember.nn.CrossEntropyLoss;
import dev.ember.nn.Flatten;
import dev.ember.nn.Linear;
import dev.ember.nn.MaxPool2d;
import dev.ember.nn.ModelFiles;
import dev.ember.nn.Module;
import dev.ember.nn.ReLU;
import dev.ember.nn.Sequential;
import dev.ember.nn.Tanh;
import dev.ember.optim.Adam;
import dev.ember.optim.Optimizer;
import dev.ember.optim.SGD;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small networks learn real tasks with nn, optim and data together, reproducibly, and survive a save and load. */
class EndToEndTrainingTest {

    private static double accuracy(Module model, SupervisedData data) {
        try (var g = Ember.noGrad()) {
            model.eval();
            Tensor predicted = model.forward(data.inputs()).argmax(1, false);
            model.train();
            return predicted.eq(data.targets()).to(DType.FLOAT64).mean().item();
        }
    }

    private static void step(Optimizer opt, Tensor loss) {
        opt.zeroGrad();
        loss.backward();
        opt.step();
    }

    @Test
    void anMlpLearnsXor() {
        Ember.manualSeed(0);
        Tensor x = Ember.tensor(new double[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
        Tensor y = Ember.tensor(new double[][] {{0}, {1}, {1}, {0}});
        Sequential model = Sequential.of(new Linear(2, 8), new Tanh(), new Linear(8, 1));
        Optimizer opt = new Adam(model.parameters(), Adam.options().lr(0.05));
        BCEWithLogitsLoss lossFn = new BCEWithLogitsLoss();
        for (int i = 0; i < 300; i++) {
            step(opt, lossFn.forward(model.forward(x), y));
        }
        Tensor predicted;
        try (var g = Ember.noGrad()) {
            predicted = model.forward(x).gt(0.0).to(DType.FLOAT32);
        }
        assertArrayEquals(new float[] {0, 1, 1, 0}, predicted.toFloatArray());
    }

    @Test
    void anMlpLearnsTheSpirals() {
        Ember.manualSeed(0);
        SupervisedData spirals = Synthetic.spirals().generate();
        Sequential model = Sequential.of(new Linear(2, 64), new ReLU(), new Linear(64, 64), new ReLU(),
                new Linear(64, 3));
        Optimizer opt = new Adam(model.parameters(), Adam.options().lr(0.01));
        CrossEntropyLoss lossFn = new CrossEntropyLoss();
        for (int i = 0; i < 800; i++) {
            step(opt, lossFn.forward(model.forward(spirals.inputs()), spirals.targets()));
        }
        double acc = accuracy(model, spirals);
        assertTrue(acc >= 0.95, "spirals accuracy " + acc);
    }

    /** Trains an MLP on the embedded UCI digits with mini-batches; returns it. */
    private static Sequential trainDigits(SupervisedData.TrainTest parts, int epochs) {
        Ember.manualSeed(0);
        Sequential model = Sequential.of(new Linear(64, 64), new ReLU(), new Linear(64, 10));
        Optimizer opt = new Adam(model.parameters(), Adam.options().lr(3e-3));
        CrossEntropyLoss lossFn = new CrossEntropyLoss();
        DataLoader<TensorTuple, TensorTuple> loader = DataLoader.builder(parts.train().dataset()).batchSize(64)
                .shuffle(true).seed(0).build();
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (TensorTuple batch : loader) {
                step(opt, lossFn.forward(model.forward(batch.input()), batch.target()));
            }
        }
        return model;
    }

    private static SupervisedData.TrainTest scaledDigits() {
        SupervisedData.TrainTest parts = Digits.trainTestSplit();
        return new SupervisedData.TrainTest(
                new SupervisedData(parts.train().inputs().div(16.0), parts.train().targets()),
                new SupervisedData(parts.test().inputs().div(16.0), parts.test().targets()));
    }

    @Test
    void anMlpReaches95PercentOnTheDigitsTestSetAndIsReproducibleAndSurvivesSaving(@TempDir Path dir) {
        SupervisedData.TrainTest parts = scaledDigits();
        Sequential model = trainDigits(parts, 30);
        double acc = accuracy(model, parts.test());
        assertTrue(acc >= 0.95, "digits test accuracy " + acc);

        Sequential again = trainDigits(parts, 30);
        for (String name : model.namedParameters().keySet()) {
            assertArrayEquals(model.namedParameters().get(name).toFloatArray(),
                    again.namedParameters().get(name).toFloatArray(), 0f, "bit for bit: " + name);
        }

        Path file = dir.resolve("digits.safetensors");
        ModelFiles.save(model, file);
        Sequential loaded = Sequential.of(new Linear(64, 64), new ReLU(), new Linear(64, 10));
        ModelFiles.load(loaded, file);
        try (var g = Ember.noGrad()) {
            assertArrayEquals(model.forward(parts.test().inputs()).toFloatArray(),
                    loaded.forward(parts.test().inputs()).toFloatArray(), 0f);
        }
    }

    @Test
    void aSmallCnnLearnsGeneratedImages() {
        // 8x8 images holding one horizontal (class 0) or vertical (class 1) bar at a random position, with noise
        Ember.manualSeed(0);
        int n = 128;
        float[] pixels = new float[n * 64];
        long[] labels = new long[n];
        java.util.Random r = new java.util.Random(0);
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            int at = r.nextInt(8);
            for (int k = 0; k < 8; k++) {
                int row = labels[i] == 0 ? at : k;
                int col = labels[i] == 0 ? k : at;
                pixels[i * 64 + row * 8 + col] = 1f;
            }
            for (int p = 0; p < 64; p++) {
                pixels[i * 64 + p] += (float) (0.2 * r.nextGaussian());
            }
        }
        SupervisedData images = new SupervisedData(Ember.fromArray(pixels, n, 1, 8, 8), Ember.fromArray(labels, n));
        Sequential model = Sequential.of(new Conv2d(1, 4, 3), new ReLU(), new MaxPool2d(2), new Flatten(),
                new Linear(4 * 3 * 3, 2));
        Optimizer opt = new SGD(model.parameters(), SGD.options().lr(0.1).momentum(0.9));
        CrossEntropyLoss lossFn = new CrossEntropyLoss();
        for (int i = 0; i < 60; i++) {
            step(opt, lossFn.forward(model.forward(images.inputs()), images.targets()));
        }
        double acc = accuracy(model, images);
        assertTrue(acc >= 0.95, "bars accuracy " + acc);
    }
}
