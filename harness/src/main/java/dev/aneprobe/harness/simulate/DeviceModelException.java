package dev.aneprobe.harness.simulate;

import dev.aneprobe.harness.cli.UserInputException;

/**
 * A device-model file that cannot be used: one line naming the file, the rule (when the problem is in one) and what
 * is wrong. The CLI prints it and exits 2 before anything is written.
 */
public final class DeviceModelException extends UserInputException {
    public DeviceModelException(String source, String where, String problem) {
        super("device model " + source + (where == null || where.isEmpty() ? "" : ", " + where) + ": " + problem);
    }
}
