package dev.aneprobe.harness.analysis;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which layer a reason line of the log is about, so that a helper's refusal is not taken for the probe's.
 *
 * <p>Core ML, Espresso and the ANE compiler name the layer or op a line is about (the simulated Core ML writes
 * {@code [type 'name']}; real lines quote it or give it bare, and may show {@code <private>} instead). A line is
 * matched to the layers by name: the probe's names (the plan entries under test, and the generator's fixed names
 * {@code probe} and {@code y}) and its helpers' (every other plan entry, and any {@code aux_*} or {@code c_*} name,
 * the generator's helper and constant prefixes). A name of one or two characters ({@code y}) counts only quoted
 * ({@code 'y'}, {@code "y"}, {@code `y`}); a longer one also as a whole word.
 */
final class ReasonAttribution {
    /** What a reason line is about. */
    enum About {
        /** It names the layer under test. */
        SUBJECT,
        /** It names only helper layers or constants. */
        HELPER,
        /** It names no layer of the probe (a whole-model failure, or a name logged as {@code <private>}). */
        UNNAMED
    }

    /**
     * One reason line and whom it is about.
     *
     * @param helpers the helper names it mentions (empty unless {@code about} is HELPER)
     */
    record Attributed(ReasonPatterns.Match match, About about, List<String> helpers) {
    }

    private static final Pattern HELPER_NAME = Pattern.compile(
            "(?<![A-Za-z0-9_])(?:" + Pattern.quote(VerdictJudge.AUX_PREFIX) + "|" + Pattern.quote(VerdictJudge.CONST_PREFIX)
                    + ")[A-Za-z0-9_]+");

    private ReasonAttribution() {
    }

    /**
     * Every reason line of the log ({@link ReasonPatterns#findAll} order), each with whom it is about.
     *
     * @param subjectNames names of the layer under test (empty names are ignored)
     * @param helperNames names of the probe's other layers and ops
     */
    static List<Attributed> attribute(List<String> log, Set<String> subjectNames, Set<String> helperNames) {
        List<Attributed> out = new ArrayList<>();
        for (ReasonPatterns.Match m : ReasonPatterns.findAll(log)) {
            String line = m.line();
            if (subjectNames.stream().anyMatch(n -> mentions(line, n))) {
                out.add(new Attributed(m, About.SUBJECT, List.of()));
                continue;
            }
            Set<String> helpers = new LinkedHashSet<>();
            for (String n : helperNames) {
                if (mentions(line, n)) {
                    helpers.add(n);
                }
            }
            Matcher h = HELPER_NAME.matcher(line);
            while (h.find()) {
                helpers.add(h.group());
            }
            out.add(new Attributed(m, helpers.isEmpty() ? About.UNNAMED : About.HELPER, List.copyOf(helpers)));
        }
        return out;
    }

    /** Whether the line names this layer: quoted, or (three characters or more) as a whole word. */
    static boolean mentions(String line, String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (char q : new char[] {'\'', '"', '`'}) {
            if (line.contains(q + name + q)) {
                return true;
            }
        }
        if (name.length() < 3) {
            return false;
        }
        for (int at = line.indexOf(name); at >= 0; at = line.indexOf(name, at + 1)) {
            boolean startsWord = at == 0 || !wordChar(line.charAt(at - 1));
            int end = at + name.length();
            boolean endsWord = end == line.length() || !wordChar(line.charAt(end));
            if (startsWord && endsWord) {
                return true;
            }
        }
        return false;
    }

    private static boolean wordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
