package dev.aneprobe.probes.catalog;

import java.util.ArrayList;
import java.util.List;

/** Every ML Program (MIL op) family, group by group. Family names start with {@code mil.}. */
final class MilFamilies {
    private MilFamilies() {
    }

    static List<ProbeFamily> all() {
        List<ProbeFamily> all = new ArrayList<>();
        all.addAll(MilSpatialFamilies.all());
        all.addAll(MilLinearFamilies.all());
        all.addAll(MilElementwiseFamilies.all());
        all.addAll(MilTensorFamilies.all());
        all.addAll(MilControlFlowFamilies.all());
        all.addAll(MilListFamilies.all());
        all.addAll(MilStateFamilies.all());
        all.addAll(MilClassifierFamilies.all());
        all.addAll(MilConstFamilies.all());
        return all;
    }
}
