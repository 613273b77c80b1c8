package dev.aneprobe.harness.bridge;

/** {@code aneprobe_status}, by value. */
public enum ShimStatus {
    OK(AneprobeLibrary.ANEPROBE_OK),
    COREML_ERROR(AneprobeLibrary.ANEPROBE_COREML_ERROR),
    UNSUPPORTED(AneprobeLibrary.ANEPROBE_UNSUPPORTED),
    INVALID_ARGUMENT(AneprobeLibrary.ANEPROBE_INVALID_ARGUMENT),
    IO_ERROR(AneprobeLibrary.ANEPROBE_IO_ERROR),
    UNSUPPORTED_MODEL(AneprobeLibrary.ANEPROBE_UNSUPPORTED_MODEL),
    INTERNAL_ERROR(AneprobeLibrary.ANEPROBE_INTERNAL_ERROR),
    /** A value this mirror does not know (a newer shim). */
    UNKNOWN(-1);

    private final int value;

    ShimStatus(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static ShimStatus of(int value) {
        for (ShimStatus s : values()) {
            if (s.value == value) {
                return s;
            }
        }
        return UNKNOWN;
    }
}
