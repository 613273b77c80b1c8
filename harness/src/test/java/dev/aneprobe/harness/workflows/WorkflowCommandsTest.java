package dev.aneprobe.harness.workflows;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.aneprobe.harness.Fixtures;
import dev.aneprobe.harness.cli.AneprobeCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every {@code aneprobe} command line that the GitHub workflows run, and that CONTRIBUTING.md and docs/fleet.md tell a
 * Mac owner to type, parses with the current command line (parsed only, never run): a renamed option or subcommand
 * breaks the build here, not on a Mac.
 */
class WorkflowCommandsTest {
    /** A command line found in a file, with where. */
    record Found(String where, List<String> args) {
    }

    /** What a shell variable or a workflow expression stands for when parsing: any value parses as a string. */
    static final String PLACEHOLDER = "1";
    private static final Pattern INVOCATION = Pattern.compile("(?:\\./aneprobe|aneprobe\\.jar)(?=\\s)");

    static List<Found> commands(Path file, boolean markdown) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<Found> out = new ArrayList<>();
        boolean inCode = false;
        StringBuilder logical = new StringBuilder();
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (markdown && line.strip().startsWith("```")) {
                inCode = !inCode;
                continue;
            }
            if (markdown && !inCode) {
                continue;
            }
            if (logical.length() == 0) {
                start = i + 1;
            }
            if (line.endsWith("\\")) {
                logical.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            logical.append(line);
            Matcher m = INVOCATION.matcher(logical);
            while (m.find()) {
                out.add(new Found(file.getFileName() + ":" + start, words(logical.substring(m.end()))));
            }
            logical.setLength(0);
        }
        return out;
    }

    /**
     * The words of a shell command up to its end (an operator, a redirection, a comment or a closing backtick), with
     * quotes removed and every expansion ($VAR, ${VAR}, ${{ expression }}) replaced by {@link #PLACEHOLDER}.
     */
    static List<String> words(String s) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
                i++;
                continue;
            }
            if (!inWord && (c == '#' || c == '|' || c == ';' || c == '&' || c == '>' || c == '<' || c == ')'
                    || c == '`' || (Character.isDigit(c) && i + 1 < s.length() && s.charAt(i + 1) == '>'))) {
                break;
            }
            if (inWord && (c == '|' || c == ';' || c == '>' || c == '<' || c == '`' || c == ')')) {
                break;
            }
            inWord = true;
            if (c == '\'') {
                int end = s.indexOf('\'', i + 1);
                w.append(s, i + 1, end < 0 ? s.length() : end);
                i = end < 0 ? s.length() : end + 1;
            } else if (c == '"') {
                int end = i + 1;
                while (end < s.length() && s.charAt(end) != '"') {
                    end += s.charAt(end) == '\\' ? 2 : 1;
                }
                w.append(expand(s.substring(i + 1, Math.min(end, s.length()))));
                i = Math.min(end + 1, s.length());
            } else if (c == '$') {
                i = skipExpansion(s, i);
                w.append(PLACEHOLDER);
            } else {
                w.append(c);
                i++;
            }
        }
        if (inWord) {
            words.add(w.toString());
        }
        return words;
    }

    private static String expand(String quoted) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < quoted.length()) {
            if (quoted.charAt(i) == '$') {
                i = skipExpansion(quoted, i);
                out.append(PLACEHOLDER);
            } else {
                out.append(quoted.charAt(i++));
            }
        }
        return out.toString();
    }

    /** The index after an expansion starting at {@code s[i] == '$'}: $NAME, ${...}, ${{ ... }} or $(...). */
    private static int skipExpansion(String s, int i) {
        if (s.startsWith("${{", i)) {
            int end = s.indexOf("}}", i);
            return end < 0 ? s.length() : end + 2;
        }
        if (s.startsWith("${", i)) {
            int end = s.indexOf('}', i);
            return end < 0 ? s.length() : end + 1;
        }
        if (s.startsWith("$(", i)) {
            int end = s.indexOf(')', i);
            return end < 0 ? s.length() : end + 1;
        }
        int j = i + 1;
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
            j++;
        }
        return j;
    }

    /** Parses a command line with the real CLI; null when it parses, else picocli's message. */
    static String parseProblem(List<String> args) {
        CommandLine cli = AneprobeCommand.commandLine(new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()));
        try {
            CommandLine.ParseResult r = cli.parseArgs(args.toArray(String[]::new));
            return r.hasSubcommand() ? null : "no subcommand";
        } catch (CommandLine.ParameterException e) {
            return e.getMessage();
        }
    }

    static List<Found> workflowCommands() throws IOException {
        List<Found> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(Fixtures.repo().resolve(".github/workflows"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
                all.addAll(commands(f, false));
            }
        }
        return all;
    }

    private static void assertAllParse(List<Found> found) {
        List<String> bad = new ArrayList<>();
        for (Found f : found) {
            String problem = parseProblem(f.args());
            if (problem != null) {
                bad.add(f.where() + ": aneprobe " + String.join(" ", f.args()) + " -> " + problem);
            }
        }
        if (!bad.isEmpty()) {
            fail("command lines the current CLI does not parse:\n" + String.join("\n", bad));
        }
    }

    @Test
    void everyAneprobeCommandTheWorkflowsRunParses() throws IOException {
        List<Found> found = workflowCommands();
        // ci: verify-run; macos: generate x2, devices x2, sweep, verify-run; fleet sweep: devices, sweep x2,
        // verify-run, report, claims
        assertTrue(found.size() >= 13, "found only " + found);
        for (String sub : List.of("generate", "devices", "sweep", "verify-run", "claims", "report")) {
            assertTrue(found.stream().anyMatch(f -> f.args().get(0).equals(sub)), "no '" + sub + "' in " + found);
        }
        assertAllParse(found);
    }

    @Test
    void everyAneprobeCommandTheContributorDocsGiveParses() throws IOException {
        List<Found> found = new ArrayList<>(commands(Fixtures.repo().resolve("CONTRIBUTING.md"), true));
        assertTrue(found.size() >= 3, "the three commands of CONTRIBUTING.md: " + found);
        found.addAll(commands(Fixtures.repo().resolve("docs/fleet.md"), true));
        assertAllParse(found);
    }

    @Test
    void aRenamedOptionOrSubcommandWouldBeCaught() {
        assertNotNull(parseProblem(words("sweep --profil quick")));
        assertNotNull(parseProblem(words("verify-runs results/raw/x")));
        assertNotNull(parseProblem(words("sweep --units \"$UNITS\"")), "the placeholder is no compute unit");
        assertThrows(AssertionError.class, () -> assertAllParse(List.of(new Found("x", words("report --outdir x")))));
    }

    @Test
    void shellWordsAreReadAsTheShellWould() {
        assertTrue(words("sweep --profile \"$PROFILE\" --shard \"${{ matrix.shard }}/$N\" --out sweep-out  # why")
                .equals(List.of("sweep", "--profile", "1", "--shard", "1/1", "--out", "sweep-out")));
        assertTrue(words("verify-run $RUN_DIRS 2>&1 | tee log").equals(List.of("verify-run", "1")));
        assertTrue(words("claims --runs gathered >> \"$GITHUB_STEP_SUMMARY\"").equals(List.of("claims", "--runs",
                "gathered")));
        assertTrue(words("report` to regenerate").equals(List.of("report")));
        assertTrue(words("verify-run 'results/raw/a b'").equals(List.of("verify-run", "results/raw/a b")));
    }
}
