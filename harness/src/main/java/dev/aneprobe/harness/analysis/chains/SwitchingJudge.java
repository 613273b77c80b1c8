package dev.aneprobe.harness.analysis.chains;

import dev.aneprobe.harness.analysis.claims.Prediction;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.Device;
import dev.aneprobe.harness.results.VerdictKind;

/**
 * Judges one chain reading against a switching claim. The claims are about the {@code all} setting (Core ML free to
 * use every device), so only all lines are read. A reading is evidence when
 * <ul>
 *   <li>its verdict is SPLIT: the plan's mix of devices stood (a line whose dispatch overruled the plan, or that
 *       failed, says nothing about where each layer ran);</li>
 *   <li>every layer's device is known, and the layers are on the ANE and the claim's device (the GPU, or the CPU)
 *       only, both of them: the U layers went where the claim is about, and something stayed on the ANE;</li>
 *   <li>the chain could leave the ANE at least twice (two S layers each followed by a U), so "once" and "again" can
 *       be told apart.</li>
 * </ul>
 * Then "at most once" holds when the model leaves the ANE for the GPU once at most, and "again and again" when it
 * leaves it for the CPU twice or more.
 */
public final class SwitchingJudge {
    /** The setting the switching claims are about. */
    public static final ComputeUnits UNITS = ComputeUnits.ALL;

    /** What one reading says about a claim. */
    public enum Judgement {
        SUPPORTS,
        CONTRADICTS,
        NO_EVIDENCE
    }

    private SwitchingJudge() {
    }

    public static Judgement judge(Prediction prediction, DeviceSequence sequence, VerdictKind verdict) {
        if (!prediction.aboutSwitching()) {
            throw new IllegalArgumentException(prediction + " is not about device switching");
        }
        Device to = prediction.switchesTo();
        if (verdict != VerdictKind.SPLIT || !sequence.complete() || !sequence.onlyAndBoth(Device.ANE, to)
                || sequence.chancesToLeave() < 2) {
            return Judgement.NO_EVIDENCE;
        }
        int leaves = sequence.leaves(to);
        boolean holds = prediction == Prediction.ANE_GPU_AT_MOST_ONCE ? leaves <= 1 : leaves >= 2;
        return holds ? Judgement.SUPPORTS : Judgement.CONTRADICTS;
    }
}
