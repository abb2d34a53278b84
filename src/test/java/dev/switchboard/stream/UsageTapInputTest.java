package dev.switchboard.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.vertx.core.buffer.Buffer;

/** Events the recordings do not show: other backends' shapes, split reports, and input that is not what it seems. */
class UsageTapInputTest {

    private static Buffer event(String json) {
        return Buffer.buffer("data: " + json + "\n\n");
    }

    @Test
    void usageAndTimingsFromDifferentEventsAreMerged() {
        UsageTap tap = new UsageTap(true, false);
        tap.onEvent(event("{\"choices\":[{\"delta\":{}}],\"timings\":{\"cache_n\":7,\"predicted_per_second\":12.5}}"));
        tap.onEvent(event("{\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}"));
        tap.onEnd(true);
        assertEquals(new Usage(3, 2, 5, 7, -1, 12.5), tap.usage());
        // a reported cached_tokens wins over cache_n, whichever came first
        tap.onEvent(event("{\"usage\":{\"prompt_tokens_details\":{\"cached_tokens\":1}}}"));
        assertEquals(new Usage(3, 2, 5, 1, -1, 12.5), tap.usage());
    }

    @Test
    void nothingReportedIsNone() {
        UsageTap tap = new UsageTap(true, true);
        tap.onEvent(event("{\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}"));
        tap.onEvent(Buffer.buffer("data: [DONE]\n\n"));
        tap.onEnd(false);
        assertSame(Usage.NONE, tap.usage());
    }

    @Test
    void aUsageEventWithoutChoicesIsDroppedAndOneWithChoicesKept() {
        UsageTap tap = new UsageTap(true, false);
        assertEquals(0, tap.onEvent(event("{\"usage\":{\"total_tokens\":5}}")).length());
        assertEquals(0, tap.onEvent(event("{\"choices\" : [ ] , \"usage\":{\"total_tokens\":5}}")).length());
        assertEquals(0, tap.onEvent(event("{\"choices\":null,\"usage\":{\"total_tokens\":5}}")).length());
        Buffer withChoice = event("{\"choices\":[{\"delta\":{}}],\"usage\":{\"total_tokens\":6}}");
        assertSame(withChoice, tap.onEvent(withChoice));
        assertEquals(6, tap.usage().total());
    }

    /** OpenAI sends {@code "usage":null} in every chunk once usage is asked for; text may mention usage too. */
    @Test
    void whatOnlyLooksLikeUsagePassesUntouched() {
        UsageTap tap = new UsageTap(true, true);
        String[] events = {
            "{\"choices\":[{\"delta\":{\"content\":\"x\"}}],\"usage\":null}",
            "{\"choices\":[{\"delta\":{\"content\":\"\\\"usage\\\":{\\\"prompt_tokens\\\":5}\"}}]}",
            "{\"choices\":[{\"delta\":{\"content\":\"usage\"}}]}",
            "{\"choices\":[],\"usage\":\"none\",\"timings\":[1]}",
        };
        for (String json : events) {
            Buffer in = event(json);
            assertSame(in, tap.onEvent(in), json);
        }
        assertSame(Usage.NONE, tap.usage());
    }

    @Test
    void brokenInputPassesUnchangedAndCountsNothing() {
        UsageTap tap = new UsageTap(true, true);
        Buffer[] inputs = {
            event("{\"choices\":[],\"usage\":{\"prompt_tokens\":5,"),
            event("{\"choices\":[],\"usage\":{\"prompt_tokens\":99999999999999999999999}}"),
            event("{\"choices\":[],\"usage\":{\"prompt_tokens\":5 \"total_tokens\":6}}"),
            event("{\"choices\":[],\"usage\":"),
            event("{\"timings\":{\"cache_n\":3,}}"),
            Buffer.buffer("data: {\"choices\":[],\"usa"),
            Buffer.buffer("ge\":{\"prompt_tokens\":5}}\n\n"),
            Buffer.buffer(new byte[] {'"', 'u', 's', 'a', 'g', 'e', '"', ':', '{', (byte) 0xff, (byte) 0xfe, '}'}),
            Buffer.buffer(": keep-alive\n\n"),
            Buffer.buffer(),
        };
        for (Buffer in : inputs) {
            assertSame(in, tap.onEvent(in), in.toString(StandardCharsets.ISO_8859_1));
            assertSame(in, tap.onAnswer(in));
        }
        assertSame(Usage.NONE, tap.usage());
    }

    @Test
    void negativeOrNonNumericCountsAreNotReported() {
        UsageTap tap = new UsageTap(false, false);
        tap.onAnswer(Buffer.buffer("{\"usage\":{\"prompt_tokens\":-1,\"completion_tokens\":\"3\",\"total_tokens\":4.0}}"));
        assertEquals(new Usage(-1, -1, 4, -1, -1, -1), tap.usage());
    }
}
