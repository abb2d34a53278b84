package dev.switchboard.gguf;

import static dev.switchboard.gguf.GgufWriter.*;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Little-endian bytes, for building files and pieces of broken ones. */
final class Bytes {

    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Bytes u8(int v) {
        out.write(v);
        return this;
    }

    Bytes u32(long v) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    Bytes u64(long v) {
        return u32(v).u32(v >>> 32);
    }

    Bytes str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u64(b.length);
        out.writeBytes(b);
        return this;
    }

    Bytes value(int type, Object v) {
        return switch (type) {
            case U8, I8 -> u8(((Number) v).intValue());
            case U16, I16 -> u8(((Number) v).intValue()).u8(((Number) v).intValue() >>> 8);
            case U32, I32 -> u32(((Number) v).longValue());
            case F32 -> u32(Float.floatToIntBits(((Number) v).floatValue()));
            case BOOL -> u8((Boolean) v ? 1 : 0);
            case STRING -> str((String) v);
            case U64, I64 -> u64(((Number) v).longValue());
            case F64 -> u64(Double.doubleToLongBits(((Number) v).doubleValue()));
            default -> throw new IllegalArgumentException("no single value of type " + type);
        };
    }

    byte[] toArray() {
        return out.toByteArray();
    }
}
