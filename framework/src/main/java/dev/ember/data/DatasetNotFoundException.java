package dev.ember.data;

import dev.ember.EmberException;

/**
 * A dataset's files are in none of the places searched (and downloading was off). The message lists the files, the
 * directories searched and where to put them; catch it to fall back to another dataset.
 *
 * <pre>{@code
 * SupervisedData data;
 * try {
 *     data = Mnist.load(Mnist.Variant.FASHION_MNIST, Mnist.Split.TRAIN);
 * } catch (DatasetNotFoundException e) {
 *     data = Digits.load();                 // embedded, always there
 * }
 * }</pre>
 */
public class DatasetNotFoundException extends EmberException {
    /** An exception with the given message (which says where to put which files). */
    public DatasetNotFoundException(String message) {
        super(message);
    }
}
