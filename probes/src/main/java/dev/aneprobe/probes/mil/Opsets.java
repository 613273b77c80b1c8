package dev.aneprobe.probes.mil;

import java.util.List;

/**
 * ML Program opsets and the specification version each needs: CoreML5 (iOS 15) is specification 6, up to CoreML9
 * (iOS 26) at 10. FLOAT16 model inputs and outputs need specification 7, so an fp16 probe needs at least CoreML6.
 */
public final class Opsets {
    public static final List<String> ALL = List.of("CoreML5", "CoreML6", "CoreML7", "CoreML8", "CoreML9");

    private Opsets() {
    }

    public static int specificationVersion(String opset) {
        int i = ALL.indexOf(opset);
        if (i < 0) {
            throw new IllegalArgumentException("unknown opset '" + opset + "'");
        }
        return 6 + i;
    }

    public static String max(String a, String b) {
        return ALL.indexOf(a) >= ALL.indexOf(b) ? a : b;
    }

    /** The lowest opset a probe can declare: the op's own opset, raised to CoreML6 for fp16 I/O. */
    public static String forProbe(String opIntroducedIn, boolean fp16Io) {
        return fp16Io ? max(opIntroducedIn, "CoreML6") : opIntroducedIn;
    }
}
