package dev.ember.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.List;
import java.util.Objects;

/**
 * Everything that defines a training run, saved as {@code config.json} in its run directory: what {@code --resume}
 * and {@code ember eval} rebuild the model, the data and the optimizer from.
 *
 * <pre>{@code
 * RunConfig c = RunConfig.fromJson(Files.readString(dir.resolve("config.json")));
 * Module model = c.model().build(c.sampleShape(), c.classes(), c.hidden());
 * }</pre>
 *
 * @param emberVersion   the Ember version that created the run
 * @param model          the network
 * @param dataset        the data set
 * @param dataDir        the directory given with {@code --data-dir}, or null
 * @param trainSamples   how many training samples are used (the first ones), or null for all
 * @param testSamples    how many test samples are used (the first ones), or null for all
 * @param epochs         the number of epochs to train in all
 * @param scheduleEpochs the number of epochs the learning-rate schedule is planned over (the run's first
 *                       {@code epochs}; a resumed run may train longer)
 * @param batchSize      samples per batch
 * @param optimizer      the optimizer
 * @param lr             the (initial, or for onecycle the peak) learning rate
 * @param schedule       the learning-rate schedule
 * @param seed           the seed of the initial weights and of the order of the batches
 * @param dtype          the floating-point type of parameters and inputs
 * @param backend        the ND4J backend
 * @param hidden         the width of the hidden layers
 * @param sampleShape    the shape of one input sample, e.g. {@code [1, 28, 28]}
 * @param classes        the number of classes
 * @param inputMean      the mean of the training inputs, subtracted from every input
 * @param inputStd       the standard deviation of the training inputs, by which every input is divided
 */
public record RunConfig(String emberVersion, ModelKind model, DatasetKind dataset, String dataDir,
                        Integer trainSamples, Integer testSamples, int epochs, int scheduleEpochs, int batchSize,
                        OptimizerKind optimizer, double lr, ScheduleKind schedule, long seed, Precision dtype,
                        Backend backend, int hidden, List<Integer> sampleShape, int classes, double inputMean,
                        double inputStd) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Checks every field; the messages name the field and the value. */
    public RunConfig {
        Objects.requireNonNull(model, "model is missing");
        Objects.requireNonNull(dataset, "dataset is missing");
        Objects.requireNonNull(optimizer, "optimizer is missing");
        Objects.requireNonNull(schedule, "schedule is missing");
        Objects.requireNonNull(dtype, "dtype is missing");
        Objects.requireNonNull(backend, "backend is missing");
        Objects.requireNonNull(sampleShape, "sampleShape is missing");
        positive("epochs", epochs);
        positive("scheduleEpochs", scheduleEpochs);
        positive("batchSize", batchSize);
        positive("hidden", hidden);
        positive("classes", classes);
        if (trainSamples != null) {
            positive("trainSamples", trainSamples);
        }
        if (testSamples != null) {
            positive("testSamples", testSamples);
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("lr must be a positive number, got " + lr);
        }
        if (!(inputStd > 0) || Double.isInfinite(inputStd) || !Double.isFinite(inputMean)) {
            throw new IllegalArgumentException("inputMean must be finite and inputStd positive, got " + inputMean
                    + " and " + inputStd);
        }
        sampleShape = List.copyOf(sampleShape);
        if (sampleShape.isEmpty() || sampleShape.stream().anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("sampleShape must be a non-empty list of positive sizes, got "
                    + sampleShape);
        }
    }

    private static void positive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " must be at least 1, got " + value);
        }
    }

    /** This configuration trained for {@code total} epochs in all. */
    public RunConfig withEpochs(int total) {
        return new RunConfig(emberVersion, model, dataset, dataDir, trainSamples, testSamples, total, scheduleEpochs,
                batchSize, optimizer, lr, schedule, seed, dtype, backend, hidden, sampleShape, classes, inputMean,
                inputStd);
    }

    /** The configuration as indented JSON. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("RunConfig cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads a configuration written by {@link #toJson()}.
     *
     * @throws IllegalArgumentException with a one-line reason if the text is not such a configuration
     */
    public static RunConfig fromJson(String json) {
        try {
            return JSON.readValue(json, RunConfig.class);
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof IllegalArgumentException || e.getCause() instanceof NullPointerException) {
                throw new IllegalArgumentException(e.getCause().getMessage(), e);   // a field's check
            }
            String what = e.getOriginalMessage().lines().findFirst().orElse("");
            int detail = what.indexOf(" (");
            JsonLocation at = e.getLocation();
            throw new IllegalArgumentException((detail > 0 ? what.substring(0, detail) : what)
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()), e);
        }
    }
}
