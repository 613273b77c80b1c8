package dev.aneprobe.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.Fixtures;
import dev.aneprobe.harness.testutil.ChildJvm;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The defaults of claims and report (results/raw, results/claims/claims.json, results/tables) are paths in the
 * checkout around the working directory, so both work from any folder inside it; outside one, the error says what
 * to pass, and the claims built into aneprobe are used with a note saying so.
 */
class CheckoutDefaultsTest {
    /** A checkout as far as the defaults care: the parent pom, the claims file, and a FIXTURE run in results/raw. */
    static Path fakeCheckout(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("results/claims"));
        Files.copy(Fixtures.repo().resolve("pom.xml"), dir.resolve("pom.xml"));
        Files.copy(Fixtures.repo().resolve("results/claims/claims.json"), dir.resolve("results/claims/claims.json"));
        Path run = Files.createDirectories(dir.resolve("results/raw/fixture-m2"));
        for (String f : List.of("env.json", "observations.jsonl")) {
            Files.copy(Fixtures.runs().resolve("fixture-m2").resolve(f), run.resolve(f));
        }
        Files.createDirectories(dir.resolve("docs/deep/er"));
        return dir;
    }

    @Test
    void theCheckoutIsFoundFromAnyFolderInside(@TempDir Path tmp) throws Exception {
        Path repo = Fixtures.repo();
        assertEquals(Optional.of(repo), Checkout.around(repo));
        assertEquals(Optional.of(repo), Checkout.around(repo.resolve("harness/src/main")));
        Path fake = fakeCheckout(tmp.resolve("co"));
        assertEquals(Optional.of(fake), Checkout.around(fake.resolve("docs/deep/er")));
        assertEquals(Optional.empty(), Checkout.around(tmp));

        // Another Maven project with a results/claims/claims.json is not a checkout; nor is a pom without it.
        Path other = Files.createDirectories(tmp.resolve("other/results/claims"));
        Files.writeString(other.resolve("claims.json"), "{}");
        Files.writeString(tmp.resolve("other/pom.xml"), "<project><artifactId>something-else</artifactId></project>");
        assertEquals(Optional.empty(), Checkout.around(tmp.resolve("other/results")));
        Path noClaims = Files.createDirectories(tmp.resolve("noclaims"));
        Files.copy(repo.resolve("pom.xml"), noClaims.resolve("pom.xml"));
        assertFalse(Checkout.isRoot(noClaims));
    }

    @Test
    void defaultsResolveAgainstTheCheckoutAndAreShownRelativeWhenBelowTheWorkingDirectory(@TempDir Path tmp)
            throws Exception {
        Path fake = fakeCheckout(tmp.resolve("co"));
        RunsOptions atRoot = new RunsOptions();
        atRoot.workingDirectory = fake;
        assertEquals(Path.of("results/raw"), atRoot.defaultRuns());
        assertEquals(Path.of("results/tables"), atRoot.reportOut(null));
        assertEquals(Path.of("elsewhere"), atRoot.reportOut(Path.of("elsewhere")));

        RunsOptions deep = new RunsOptions();
        deep.workingDirectory = fake.resolve("docs/deep/er");
        assertEquals(fake.resolve("results/raw"), deep.defaultRuns());
        assertEquals(fake.resolve("results/tables"), deep.reportOut(null));
        StringWriter err = new StringWriter();
        assertEquals(35, deep.claimSet(new PrintWriter(err, true)).claims().size());
        assertEquals("", err.toString(), "inside a checkout the claims file is its own, no note needed");
        assertEquals(1, deep.discover(new PrintWriter(err, true)).size());
    }

    @Test
    void outsideACheckoutTheErrorSaysWhatToPass(@TempDir Path tmp) {
        RunsOptions o = new RunsOptions();
        o.workingDirectory = tmp;
        StringWriter err = new StringWriter();
        UserInputException e = assertThrows(UserInputException.class, () -> o.claimSet(new PrintWriter(err, true)));
        assertEquals(tmp + " is not inside an aneprobe checkout, so there are no default runs (results/raw): pass "
                + "--runs DIR (a run directory, or a directory of runs)", e.getMessage());
        assertEquals("", err.toString(), "one line: the error, no note before it");
        e = assertThrows(UserInputException.class, () -> o.reportOut(null));
        assertTrue(e.getMessage().endsWith("so there is no default output (results/tables): pass --out DIR and "
                + "--runs DIR"), e.getMessage());

        o.runs = List.of(Fixtures.runs());
        e = assertThrows(UserInputException.class, () -> o.reportOut(null));
        assertTrue(e.getMessage().endsWith(": pass --out DIR"), e.getMessage());
        assertEquals(35, o.claimSet(new PrintWriter(err, true)).claims().size());
        assertEquals("aneprobe: note: " + tmp + " is not inside an aneprobe checkout, so the claims are the copy "
                + "built into aneprobe (--claims FILE for another)", err.toString().strip());
    }

    /** The whole command line, in a child JVM whose working directory is the folder under test. */
    @Test
    void claimsAndReportWorkFromASubfolderAndSayWhatToPassOutside(@TempDir Path tmp) throws Exception {
        Path fake = fakeCheckout(tmp.resolve("co"));
        Path sub = fake.resolve("docs/deep/er");
        ChildJvm.Done d = ChildJvm.run(ChildJvm.cli(false, sub, "claims"));
        assertEquals(0, d.exit(), d.err());
        assertTrue(d.out().startsWith("1 run, 1 chip/OS: FIXTURE Apple M2 / macOS 15.0"), d.out());
        assertEquals("", d.err());

        d = ChildJvm.run(ChildJvm.cli(false, sub, "report"));
        assertEquals(0, d.exit(), d.err());
        assertTrue(d.out().startsWith("wrote " + fake.resolve("results/tables") + ": support-table.md"), d.out());
        assertTrue(Files.isRegularFile(fake.resolve("results/tables/support-table.md")));
        try (Stream<Path> s = Files.list(sub)) {
            assertEquals(0, s.count(), "nothing is written where the command ran");
        }

        Path outside = Files.createDirectories(tmp.resolve("elsewhere"));
        d = ChildJvm.run(ChildJvm.cli(false, outside, "claims"));
        assertEquals(ExitCodes.BAD_INPUT, d.exit());
        assertEquals("aneprobe: " + outside + " is not inside an aneprobe checkout, so there are no default runs "
                + "(results/raw): pass --runs DIR (a run directory, or a directory of runs)", d.err().strip());
        d = ChildJvm.run(ChildJvm.cli(false, outside, "report"));
        assertEquals(ExitCodes.BAD_INPUT, d.exit());
        assertEquals(1, d.err().strip().lines().count(), d.err());
        assertTrue(d.err().strip().endsWith("pass --out DIR and --runs DIR"), d.err());

        try (Stream<Path> s = Files.list(outside)) {
            assertEquals(0, s.count(), "nothing is written outside a checkout by default");
        }
    }
}
