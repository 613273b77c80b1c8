package dev.aneprobe.probes.mlpackage;

/**
 * An {@code .mlpackage} directory or a MIL blob weight file does not follow its format. The message is one line
 * stating the reason, suitable for printing after {@code INVALID <path>:}.
 */
public final class PackageFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public PackageFormatException(String reason) {
        super(reason.replaceAll("\\s+", " ").trim());
    }
}
