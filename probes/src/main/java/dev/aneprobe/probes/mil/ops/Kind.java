package dev.aneprobe.probes.mil.ops;

/** What an op parameter accepts, as written in the registry's KIND column. */
public enum Kind {
    /** A tensor or a scalar (rank 0); the registry does not tell them apart. */
    TENSOR("tensor"),
    /** Several bindings, one per element. */
    TUPLE("tuple"),
    /** A MIL list value. */
    LIST("list"),
    /** A state value (CoreML8). */
    STATE("state"),
    /** A list, tensor, scalar or dictionary. */
    ANY("any");

    private final String word;

    Kind(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    static Kind of(String word) {
        for (Kind k : values()) {
            if (k.word.equals(word)) {
                return k;
            }
        }
        return null;
    }
}
