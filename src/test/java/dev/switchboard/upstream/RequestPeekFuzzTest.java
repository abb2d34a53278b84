package dev.switchboard.upstream;

import org.junit.jupiter.api.Tag;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.vertx.core.buffer.Buffer;

/**
 * Any body a client sends either gives a {@link RequestPeek} or is refused with {@link RequestPeek.BadRequest} (a
 * 400 envelope); anything else thrown would be a 500. Seeds: {@code RequestPeekFuzzTestInputs/peek/}.
 */
@Tag("fuzz")
class RequestPeekFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void peek(byte[] body) {
        try {
            RequestPeek.of(Buffer.buffer(body));
        } catch (RequestPeek.BadRequest refused) {
            // the one allowed way to say no
        }
    }
}
