package dev.aneprobe.harness.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.aneprobe.harness.Fixtures;
import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.generate.GenerationListener;
import dev.aneprobe.probes.generate.GenerationRequest;
import dev.aneprobe.probes.generate.ProbeGenerator;
import dev.aneprobe.probes.sweep.Profile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workflows' shell scripts, everything but Apple's tools: coreml-compile.sh with a stand-in compiler that rejects
 * the pooling kernel-14 probe (Apple's real compiler is what the macOS workflow runs), and contributed-runs.sh on a
 * small git history. They need bash, git and jq (.ci/install-deps installs jq); without them the tests are skipped,
 * except under CI=true.
 */
class WorkflowScriptsTest {
    @TempDir
    Path dir;

    record Done(int exit, String out, String err) {
    }

    private static boolean has(String tool) {
        try {
            Process p = new ProcessBuilder("sh", "-c", "command -v " + tool).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void need(String... tools) {
        for (String t : tools) {
            if (!has(t)) {
                assertTrue(!"true".equals(System.getenv("CI")), t + " is missing (CI=true): bash .ci/install-deps");
                assumeTrue(false, t + " is missing");
            }
        }
    }

    private static Done run(Path workDir, Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().remove("GITHUB_STEP_SUMMARY");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(workDir.getParent(), "out", ".txt");
        Path err = Files.createTempFile(workDir.getParent(), "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd) + " did not finish");
        return new Done(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static String script(String name) {
        return Fixtures.repo().resolve(".github/scripts").resolve(name).toString();
    }

    /** A stand-in for "xcrun coremlcompiler": rejects models whose path has the given fragment. */
    private Path compiler(String rejects) throws IOException {
        Path c = dir.resolve("coremlcompiler");
        Files.writeString(c, "#!/bin/sh\n"
                + "[ \"$1\" = compile ] || exit 64\n"
                + "case \"$2\" in\n"
                + "  *" + rejects + "*) echo 'coremlc: error: stand-in refusal: kernel | too large' >&2; exit 1;;\n"
                + "esac\n"
                + "name=$(basename \"$2\"); mkdir -p \"$3/${name%.*}.mlmodelc\"\n");
        Files.setPosixFilePermissions(c, PosixFilePermissions.fromString("rwxr-xr-x"));
        return c;
    }

    @Test
    void coremlCompileListsEachRejectionWithAppleMessageAndFails() throws Exception {
        need("bash", "jq");
        Path probes = dir.resolve("probes");
        new ProbeGenerator(Catalog.standard()).generate(new GenerationRequest(Profile.QUICK, List.of("pooling"),
                List.of(), probes, false), GenerationListener.NONE);
        Path work = Files.createDirectories(dir.resolve("work"));
        Path summary = dir.resolve("step-summary.md");
        Files.writeString(summary, "before\n");
        Done d = run(work, Map.of("COREML_COMPILER", compiler("kernel-14x14").toString(), "COREML_JOBS", "2",
                "GITHUB_STEP_SUMMARY", summary.toString()), "bash", script("coreml-compile.sh"), "out",
                probes.toString(), probes.toString());
        assertEquals(1, d.exit(), d.err());
        List<String> rejections = Files.readAllLines(work.resolve("out/rejections.tsv"));
        assertEquals(1, rejections.size(), rejections.toString());
        String[] cols = rejections.get(0).split("\t");
        assertEquals("pooling/type=max,kernel=14x14,stride=1x1,pad=valid,global=false,in=64x56x56", cols[0]);
        assertEquals("coremlc: error: stand-in refusal: kernel | too large", cols[2]);
        String md = Files.readString(work.resolve("out/summary.md"));
        assertTrue(md.contains("4 of 5 probe models compiled; 1 rejected."), "the same models given twice count once: "
                + md);
        assertTrue(md.contains("| `pooling/type=max,kernel=14x14,stride=1x1,pad=valid,global=false,in=64x56x56` | "
                + "coremlc: error: stand-in refusal: kernel \\| too large |"), md);
        assertEquals("before\n" + md, Files.readString(summary, StandardCharsets.UTF_8));
        assertEquals(1, Files.list(work.resolve("out/logs")).count(), "the rejected probe's compiler output is kept");

        Done ok = run(work, Map.of("COREML_COMPILER", compiler("no-such-probe").toString()), "bash",
                script("coreml-compile.sh"), "out", probes.toString());
        assertEquals(0, ok.exit(), ok.err());
        assertTrue(ok.out().contains("5 of 5 probe models compiled; 0 rejected."), ok.out());
        assertEquals(List.of(), Files.readAllLines(work.resolve("out/rejections.tsv")));

        Done bad = run(work, Map.of(), "bash", script("coreml-compile.sh"), "out", dir.resolve("nothing").toString());
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("has no manifest.jsonl"), bad.err());
    }

    private void git(Path repo, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@example.invalid",
                "-c", "commit.gpgsign=false"));
        cmd.addAll(List.of(args));
        Done d = run(repo, Map.of(), cmd.toArray(String[]::new));
        assertEquals(0, d.exit(), d.err());
    }

    private static void write(Path repo, String rel, String text) throws IOException {
        Path p = repo.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @Test
    void contributedRunsAreTheAddedRunDirectoriesAndNoneEdited() throws Exception {
        need("bash", "git");
        Path repo = Files.createDirectories(dir.resolve("repo"));
        git(repo, "init", "-q", "-b", "main");
        write(repo, "results/raw/README.md", "runs\n");
        write(repo, "results/raw/old-run/env.json", "{}\n");
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "-m", "base");
        git(repo, "checkout", "-q", "-b", "pr");
        write(repo, "results/raw/new-a/env.json", "{}\n");
        write(repo, "results/raw/new-a/observations.jsonl", "\n");
        write(repo, "results/raw/new-b/env.json", "{}\n");
        write(repo, "results/raw/README.md", "runs, contributed\n");
        write(repo, "docs/x.md", "x\n");
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "-m", "add two runs");
        Done added = run(repo, Map.of(), "bash", script("contributed-runs.sh"), "main");
        assertEquals(0, added.exit(), added.err());
        assertEquals("dirs=results/raw/new-a results/raw/new-b\n", added.out());

        write(repo, "results/raw/old-run/env.json", "{\"edited\": true}\n");
        git(repo, "commit", "-q", "-am", "edit a run");
        Done edited = run(repo, Map.of(), "bash", script("contributed-runs.sh"), "main");
        assertEquals(1, edited.exit());
        assertEquals("contributed-runs: results/raw/old-run/env.json: runs in results/raw are never edited (M on a run "
                + "already there)\n", edited.err());

        git(repo, "checkout", "-q", "main");
        git(repo, "checkout", "-q", "-b", "odd");
        write(repo, "results/raw/$(reboot)/env.json", "{}\n");
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "-m", "odd name");
        Done odd = run(repo, Map.of(), "bash", script("contributed-runs.sh"), "main");
        assertEquals(1, odd.exit());
        assertTrue(odd.err().contains("a run directory name is a plain name"), odd.err());

        git(repo, "checkout", "-q", "main");
        Done none = run(repo, Map.of(), "bash", script("contributed-runs.sh"), "main");
        assertEquals(0, none.exit(), none.err());
        assertEquals("dirs=\n", none.out());
    }
}
