package dev.switchboard.gguf;

import java.io.IOException;

/**
 * Typed metadata values: reads the few keys a listing keeps, skips every other value by its length alone (an array
 * of 150k token strings is 150k length reads and no allocation).
 */
final class GgufValues {

    static final int STRING = 8;
    static final int ARRAY = 9;
    private static final String[] NAMES = {"uint8", "int8", "uint16", "int16", "uint32", "int32", "float32", "bool",
        "string", "array", "uint64", "int64", "float64"};
    /** Bytes per value of each type; 0 for the variable-length string and array. */
    private static final int[] SIZE = {1, 1, 2, 2, 4, 4, 4, 1, 0, 0, 8, 8, 8};

    private GgufValues() {
    }

    /** Reads a value type (uint32); one outside 0..12 is corrupt, since its length is unknown and nothing follows. */
    static int type(GgufInput in) throws IOException {
        long at = in.offset();
        int type = in.i32();
        if (type < 0 || type >= SIZE.length) {
            throw in.error("unknown value type " + Integer.toUnsignedString(type), at);
        }
        return type;
    }

    static boolean isInteger(int type) {
        return type <= 5 || type == 10 || type == 11;
    }

    static String string(GgufInput in, int type, long at) throws IOException {
        return expectString(in, type, at).string();
    }

    /** Skips a string value, returning its length: all we need of a chat template is whether it is empty. */
    static long stringLength(GgufInput in, int type, long at) throws IOException {
        return expectString(in, type, at).skipString();
    }

    /** An integer of any width, which must be non-negative: every one we read is a count, length or alignment. */
    static long integer(GgufInput in, int type, long at) throws IOException {
        long value = switch (type) {
            case 0 -> in.i8() & 0xFFL;
            case 1 -> in.i8();
            case 2 -> in.i16() & 0xFFFFL;
            case 3 -> in.i16();
            case 4 -> in.i32() & 0xFFFF_FFFFL;
            case 5 -> in.i32();
            case 10, 11 -> in.i64();
            default -> throw in.error("a " + NAMES[type] + " value where an integer is expected", at);
        };
        if (value < 0) { // a negative signed value, or a uint64 above Long.MAX_VALUE
            throw in.error("value " + (type == 10 ? Long.toUnsignedString(value) : value) + " is out of range", at);
        }
        return value;
    }

    static void skip(GgufInput in, int type) throws IOException {
        if (type == STRING) {
            in.skipString();
        } else if (type == ARRAY) {
            long at = in.offset();
            int element = type(in);
            if (element == ARRAY) { // the spec allows it, ggml refuses it, and no model file has one
                throw in.error("array of arrays", at);
            }
            long n = in.length("array length", element == STRING ? 8 : SIZE[element]);
            if (element == STRING) {
                for (long i = 0; i < n; i++) {
                    in.skipString();
                }
            } else {
                in.skip(n * SIZE[element]); // cannot overflow: n <= remaining / SIZE[element]
            }
        } else {
            in.skip(SIZE[type]);
        }
    }

    private static GgufInput expectString(GgufInput in, int type, long at) throws GgufFormatException {
        if (type != STRING) {
            throw in.error("a " + NAMES[type] + " value where a string is expected", at);
        }
        return in;
    }
}
