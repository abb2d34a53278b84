package dev.switchboard.gguf;

import java.io.IOException;

/**
 * A file is not a GGUF file we can read: bad magic, unsupported version, truncated, or a length, count or type that
 * cannot be right. It extends {@link IOException}, as {@link java.util.zip.ZipException} does, so a caller that
 * skips unreadable files handles both with one catch, yet can still tell a broken file from a failing disk.
 */
public class GgufFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final long offset;

    /**
     * @param problem what is wrong, in words a user can act on
     * @param offset  the byte offset in the file where the offending field starts
     */
    public GgufFormatException(String problem, long offset) {
        super(problem + " (at offset " + offset + ")");
        this.offset = offset;
    }

    /** The byte offset in the file where the offending field starts. */
    public long offset() {
        return offset;
    }
}
