package dev.aneprobe.harness.bridge;

import dev.aneprobe.harness.results.CoreMlError;
import java.nio.charset.StandardCharsets;

/** The one place a native status becomes a Java outcome: OK returns, anything else throws the call's exception. */
final class Statuses {
    /** Which call a status came from, and so which exception it becomes. */
    enum Call { HOST_INFO, COMPILE, LOAD, PLAN, PLAN_ENTRY, PREDICT }

    private Statuses() {
    }

    static void check(int rc, Call call, AneprobeLibrary.AneprobeError err) {
        if (rc == AneprobeLibrary.ANEPROBE_OK) {
            return;
        }
        // The Shim's error structure does not synchronise automatically (it is read only on failure).
        err.read();
        throw exception(ShimStatus.of(rc), call, toCoreMlError(rc, err));
    }

    static ShimException exception(ShimStatus status, Call call, CoreMlError error) {
        return switch (call) {
            case HOST_INFO -> new ShimException.HostInfoException(status, error);
            case COMPILE -> new ShimException.CompileException(status, error);
            case LOAD -> new ShimException.LoadException(status, error);
            case PLAN, PLAN_ENTRY -> new ShimException.PlanException(status, error);
            case PREDICT -> new ShimException.PredictException(status, error);
        };
    }

    static CoreMlError toCoreMlError(int rc, AneprobeLibrary.AneprobeError err) {
        String domain = cString(err.domain);
        String description = cString(err.description);
        if (domain.isEmpty() && description.isEmpty()) {
            // A shim that broke its contract (status without error text): say so rather than invent a reason.
            return new CoreMlError("aneprobe", rc, "status " + ShimStatus.of(rc) + " without an error description");
        }
        return new CoreMlError(domain, err.code, description);
    }

    static String cString(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }
}
