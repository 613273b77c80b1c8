package dev.aneprobe.probes.output;

/**
 * An output path that cannot be used as asked: empty, a file, the current directory, a repository root, the input
 * being read, a directory holding files the command did not write, or a place it cannot write in. The message is one
 * line naming the path and the reason; commands report it as a bad request.
 */
public class OutputPathException extends RuntimeException {
    public OutputPathException(String message) {
        super(message);
    }
}
