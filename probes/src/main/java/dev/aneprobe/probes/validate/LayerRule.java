package dev.aneprobe.probes.validate;

/**
 * Core ML's structural rules for one layer type: how many inputs and outputs it takes, and (in ND networks, where
 * ranks are known) the rank its first input must have and whether outputs keep the input's rank.
 * A bound of -1 means unbounded.
 */
public record LayerRule(String type, int fieldNumber, int minSpec, int inMin, int inMax, int outMin, int outMax,
        int minRank, int maxRank, boolean rankPreserving) {
}
