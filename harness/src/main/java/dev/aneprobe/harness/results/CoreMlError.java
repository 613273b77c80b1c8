package dev.aneprobe.harness.results;

/** An NSError as Core ML reported it: domain, code and localized description, never a bare status. */
public record CoreMlError(String domain, long code, String description) {
    @Override
    public String toString() {
        return domain + " " + code + ": " + description;
    }
}
