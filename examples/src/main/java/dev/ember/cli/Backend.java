package dev.ember.cli;

/**
 * The ND4J backend a run asks for ({@code ember train --backend}). Which one a build has is fixed when it is built:
 * the CPU backend by default, CUDA with the Maven profile {@code cuda}.
 *
 * <pre>{@code
 * Backend.CUDA.check();   // a CommandException that says how to build for CUDA, on a CPU build
 * }</pre>
 */
public enum Backend implements Choice {
    CPU,
    CUDA;

    /** ND4J's CUDA backend class, present only in builds with the cuda profile. */
    private static final String CUDA_BACKEND_CLASS = "org.nd4j.linalg.jcublas.JCublasBackend";

    @Override
    public String toString() {
        return cliName();
    }

    /** The backend this build contains (found without loading ND4J). */
    public static Backend ofBuild() {
        try {
            Class.forName(CUDA_BACKEND_CLASS, false, Backend.class.getClassLoader());
            return CUDA;
        } catch (ClassNotFoundException e) {
            return CPU;
        }
    }

    /**
     * Checks that this build has this backend.
     *
     * @throws CommandException saying how to build for the other one
     */
    public void check() {
        Backend built = ofBuild();
        if (built == this) {
            return;
        }
        if (this == CUDA) {
            throw new CommandException("--backend cuda needs a build with ND4J's CUDA backend, but this one was built "
                    + "for the CPU; build it with EMBER_BUILD_PROFILE=cuda ./ember ... (CUDA 11.6 and cuDNN), or "
                    + "use --backend cpu");
        }
        throw new CommandException("--backend cpu needs a build with ND4J's CPU backend, but this one was built for "
                + "CUDA; rebuild it without the cuda profile (unset EMBER_BUILD_PROFILE), or use --backend cuda");
    }
}
