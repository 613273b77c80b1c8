package dev.aneprobe.probes.validate;

import java.io.IOException;

/**
 * A path {@code check} cannot judge here: it cannot be read (permission denied, a broken symbolic link), it is not a
 * regular file (a FIFO would block the reader, a device never ends), or it is larger than check reads into memory.
 * Nothing is known about whether Core ML would accept it, so it is reported as skipped, never as invalid. The message
 * is one line stating the reason.
 */
public final class CannotCheckException extends IOException {
    private static final long serialVersionUID = 1L;

    public CannotCheckException(String reason) {
        super(reason.replaceAll("\\s+", " ").trim());
    }
}
