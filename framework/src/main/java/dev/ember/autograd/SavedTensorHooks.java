package dev.ember.autograd;

import dev.ember.Tensor;

import java.util.ArrayDeque;

/**
 * Hooks applied to every tensor saved for backward while a scope is open (PyTorch's
 * {@code torch.autograd.graph.saved_tensors_hooks}): {@code pack} turns the tensor into anything (a compressed copy,
 * a file name, an index) when the op runs; {@code unpack} turns it back into a tensor when backward needs it.
 * Scopes nest; the innermost applies. The saved tensor's version is still checked, and the unpacked tensor keeps
 * its place in the graph, so double backward works through packed tensors.
 *
 * <pre>{@code
 * try (var h = SavedTensorHooks.scope(t -> t.to(DType.FLOAT64), p -> ((Tensor) p).to(DType.FLOAT32))) {
 *     loss = model(x);                 // everything saved in here is packed
 * }
 * loss.backward();                     // ... and unpacked here
 * try (var h = SavedTensorHooks.float16()) { ... }   // saved tensors kept in half precision
 * }</pre>
 */
public final class SavedTensorHooks {
    /** Turns a tensor being saved into its packed form. */
    @FunctionalInterface
    public interface Pack {
        Object pack(Tensor t);
    }

    /** Turns a packed form back into the tensor (same shape and dtype). */
    @FunctionalInterface
    public interface Unpack {
        Tensor unpack(Object packed);
    }

    record Hooks(Pack pack, Unpack unpack) {
    }

    private static final ThreadLocal<ArrayDeque<Hooks>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

    private SavedTensorHooks() {
    }

    /** Applies pack and unpack to every tensor saved on this thread until the scope closes. */
    public static Scope scope(Pack pack, Unpack unpack) {
        ArrayDeque<Hooks> stack = STACK.get();
        Hooks h = new Hooks(pack, unpack);
        stack.push(h);
        return new Scope(stack, h);
    }

    /**
     * Keeps floating-point saved tensors in IEEE half precision (2 bytes an element) and restores them to their
     * dtype when backward needs them: a quarter of float64's memory, half of float32's, at about 3 decimal digits.
     */
    public static Scope float16() {
        return scope(Float16.PACK, Float16.UNPACK);
    }

    static Hooks current() {
        ArrayDeque<Hooks> stack = STACK.get();
        return stack.isEmpty() ? null : stack.peek();
    }

    /** Closes a hooks scope; scopes must close in reverse order of opening (try-with-resources does that). */
    public static final class Scope implements AutoCloseable {
        private final ArrayDeque<Hooks> stack;
        private final Hooks hooks;
        private boolean closed;

        private Scope(ArrayDeque<Hooks> stack, Hooks hooks) {
            this.stack = stack;
            this.hooks = hooks;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            if (stack.peek() != hooks) {
                throw new IllegalStateException("saved-tensor hook scopes must be closed innermost first; use "
                        + "try-with-resources");
            }
            stack.pop();
            closed = true;
        }
    }
}
