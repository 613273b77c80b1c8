package dev.aneprobe.harness.bridge;

import dev.aneprobe.harness.results.CoreMlError;
import dev.aneprobe.harness.results.Stage;

/**
 * A shim call that did not return ANEPROBE_OK. Subclasses name the stage; {@link #error()} is what the shim put in
 * the error struct (for Core ML failures: the NSError's domain, code and localized description).
 */
public abstract class ShimException extends RuntimeException {
    private final ShimStatus status;
    private final transient CoreMlError error;

    protected ShimException(String what, ShimStatus status, CoreMlError error) {
        super(what + " failed (" + status + "): " + error);
        this.status = status;
        this.error = error;
    }

    public ShimStatus status() {
        return status;
    }

    public CoreMlError error() {
        return error;
    }

    /** The stage that failed, or null for calls outside the four stages (host info, plan entries). */
    public abstract Stage stage();

    /** True when the OS lacks the API rather than Core ML refusing the model. */
    public boolean unsupported() {
        return status == ShimStatus.UNSUPPORTED;
    }

    /** Host inventory failed. */
    public static final class HostInfoException extends ShimException {
        public HostInfoException(ShimStatus status, CoreMlError error) {
            super("host info", status, error);
        }

        @Override
        public Stage stage() {
            return null;
        }
    }

    /** Compiling the model failed (Core ML refused it, or the compiled bundle could not be moved into place). */
    public static final class CompileException extends ShimException {
        public CompileException(ShimStatus status, CoreMlError error) {
            super("compile", status, error);
        }

        @Override
        public Stage stage() {
            return Stage.COMPILE;
        }
    }

    /** Loading the compiled model failed. */
    public static final class LoadException extends ShimException {
        public LoadException(ShimStatus status, CoreMlError error) {
            super("load", status, error);
        }

        @Override
        public Stage stage() {
            return Stage.LOAD;
        }
    }

    /** Loading or reading the compute plan failed (UNSUPPORTED before macOS 14.4). */
    public static final class PlanException extends ShimException {
        public PlanException(ShimStatus status, CoreMlError error) {
            super("compute plan", status, error);
        }

        @Override
        public Stage stage() {
            return Stage.PLAN;
        }
    }

    /** A prediction failed. */
    public static final class PredictException extends ShimException {
        public PredictException(ShimStatus status, CoreMlError error) {
            super("predict", status, error);
        }

        @Override
        public Stage stage() {
            return Stage.PREDICT;
        }
    }
}
