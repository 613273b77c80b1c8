package dev.aneprobe.probes.generate;

import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.catalog.ProbeFamily;
import dev.aneprobe.probes.sweep.ParamOverride;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.ProbeTooLargeException;
import dev.aneprobe.probes.sweep.Profile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a request into the probes to generate, and makes sure nothing requested vanishes. A family without
 * overrides gives its catalog probes. With {@code --param}s, each combination is kept only if the family's rules
 * admit it and, when it is not one of the catalog's own probes (which the tests build and validate), it builds
 * within {@link dev.aneprobe.probes.sweep.ProbeLimits} into a model Core ML accepts — checked here, before anything
 * is written. A requested value left with no probe at all is a bad request: the GenerationException names the
 * value, a combination it was tried in, and the rule that excludes it.
 */
final class ProbePlanner {
    /** How many of the values without a probe one message names before it counts the rest. */
    private static final int NAMED = 3;

    private final Catalog catalog;
    private final ProbeGenerator generator;

    ProbePlanner(Catalog catalog, ProbeGenerator generator) {
        this.catalog = catalog;
        this.generator = generator;
    }

    /** Why one combination is not generated, ranked by how far it got (a later rule means it met earlier ones). */
    private record Exclusion(ProbeSpec spec, String why, int rank) {
    }

    List<ProbeSpec> plan(GenerationRequest request) {
        List<ProbeFamily> selection;
        try {
            selection = catalog.select(request.families(), request.overrides());
        } catch (IllegalArgumentException e) {
            throw new GenerationException(e.getMessage(), e);
        }
        List<ProbeSpec> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (ProbeFamily family : selection) {
            List<ParamOverride> mine = request.overrides().stream()
                    .filter(o -> o.family().equals(family.name())).toList();
            if (mine.isEmpty()) {
                out.addAll(family.probes(request.profile(), List.of()));
            } else {
                out.addAll(withOverrides(family, request.profile(), mine, problems));
            }
        }
        if (!problems.isEmpty()) {
            throw new GenerationException(problems.get(0) + (problems.size() == 1 ? ""
                    : " (and " + (problems.size() - 1) + " more --param" + (problems.size() == 2 ? "" : "s")
                    + " with values that yield no probe)"));
        }
        return out;
    }

    private List<ProbeSpec> withOverrides(ProbeFamily family, Profile profile, List<ParamOverride> mine,
            List<String> problems) {
        Set<ProbeSpec> known = new HashSet<>(family.probes(Profile.FULL, List.of()));
        List<ProbeSpec> kept = new ArrayList<>();
        List<Exclusion> excluded = new ArrayList<>();
        for (ProbeSpec spec : family.candidates(profile, mine)) {
            int broken = family.brokenRuleIndex(spec);
            if (broken >= 0) {
                excluded.add(new Exclusion(spec, "breaks " + family.name() + "'s rule: "
                        + family.brokenRule(spec).text(), broken));
                continue;
            }
            String why = known.contains(spec) ? null : tryBuilding(family, spec);
            if (why != null) {
                excluded.add(new Exclusion(spec, why, family.ruleCount()));
                continue;
            }
            kept.add(spec);
        }
        for (ParamOverride o : mine) {
            Set<String> present = new HashSet<>();
            kept.forEach(s -> present.add(s.text(o.axis())));
            Map<String, Exclusion> closest = closest(excluded, o.axis());
            Map<String, Exclusion> missing = new LinkedHashMap<>();
            for (String v : o.values(family.axis(o.axis()))) {
                if (!present.contains(v)) {
                    missing.put(v, closest.get(v));
                }
            }
            if (!missing.isEmpty()) {
                problems.add(describe(o, missing));
            }
        }
        return kept;
    }

    /**
     * Builds a probe the catalog does not hold, as generation will; returns why it cannot be generated, or null.
     * Anything else that goes wrong is a bug and propagates.
     */
    private String tryBuilding(ProbeFamily family, ProbeSpec spec) {
        try {
            generator.build(family, spec);
            return null;
        } catch (ProbeTooLargeException e) {
            return "is too large: " + e.getMessage();
        } catch (InvalidProbeException e) {
            return "is not a model Core ML accepts: " + e.reason();
        }
    }

    /**
     * For each value of {@code axis}, of the combinations tried with it, the one that came closest to being built
     * (the first of those that got furthest).
     */
    private static Map<String, Exclusion> closest(List<Exclusion> excluded, String axis) {
        Map<String, Exclusion> best = new HashMap<>();
        for (Exclusion e : excluded) {
            best.merge(e.spec().text(axis), e, (was, now) -> now.rank() > was.rank() ? now : was);
        }
        return best;
    }

    private static String describe(ParamOverride o, Map<String, Exclusion> missing) {
        List<String> values = new ArrayList<>(missing.keySet());
        Exclusion example = missing.get(values.get(0));
        StringBuilder sb = new StringBuilder("--param ").append(o.key());
        if (values.size() == 1) {
            sb.append('=').append(values.get(0)).append(" yields no probe");
        } else {
            sb.append(": ").append(String.join(", ", values.subList(0, Math.min(NAMED, values.size()))));
            if (values.size() > NAMED) {
                sb.append(" and ").append(values.size() - NAMED).append(" more");
            }
            sb.append(" yield no probe");
        }
        if (example == null) {
            return sb.append(" in this profile").toString();
        }
        return sb.append(": ").append(example.spec().id()).append(' ').append(example.why()).toString();
    }
}
