package dev.switchboard.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.switchboard.json.JsonTrees;
import dev.switchboard.stream.IncludeUsage.Asked;
import dev.switchboard.testsupport.Recording;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

class IncludeUsageTest {

    private static final String OPTION = "\"stream_options\":{\"include_usage\":true}";

    /** Ensures {@code in}; the result must be {@code expected}, byte for byte, and mean what {@code in} meant. */
    private static void check(String in, String expected, Asked asked) {
        Buffer body = Buffer.buffer(in.getBytes(StandardCharsets.UTF_8));
        IncludeUsage.Result result = IncludeUsage.ensure(body);
        String out = result.body().toString(StandardCharsets.UTF_8);
        assertEquals(expected, out, in);
        assertEquals(asked, result.asked(), in);
        if (in.equals(expected)) {
            assertSame(body, result.body(), "an unchanged body must be the same buffer");
        }
        // round trip: valid JSON, the same as the input but for include_usage being true
        JsonObject sent = (JsonObject) JsonTrees.parse(out.getBytes(StandardCharsets.UTF_8));
        assertNotNull(sent, out);
        JsonObject meant = ((JsonObject) JsonTrees.parse(in.getBytes(StandardCharsets.UTF_8))).copy();
        JsonObject options = meant.getValue("stream_options") instanceof JsonObject o ? o : new JsonObject();
        meant.put("stream_options", options.put("include_usage", true));
        assertEquals(meant, sent, out);
    }

    /** A body that is odd in some way comes back as the same buffer, and nothing will be dropped. */
    private static void unchanged(String in) {
        Buffer body = Buffer.buffer(in.getBytes(StandardCharsets.UTF_8));
        IncludeUsage.Result result = IncludeUsage.ensure(body);
        assertSame(body, result.body(), in);
        assertEquals(Asked.YES, result.asked(), in);
    }

    @Test
    void noStreamOptionsInsertsThemFirst() {
        check("{\"model\":\"tiny\",\"stream\":true}", "{" + OPTION + ",\"model\":\"tiny\",\"stream\":true}", Asked.ABSENT);
        check("{}", "{" + OPTION + "}", Asked.ABSENT);
        check(" { \n } ", " {" + OPTION + " \n } ", Asked.ABSENT);
        check("\n{\n  \"model\" : \"tiny\",\n  \"stream\" : true\n}\n",
                "\n{" + OPTION + ",\n  \"model\" : \"tiny\",\n  \"stream\" : true\n}\n", Asked.ABSENT);
    }

    @Test
    void streamOptionsWithoutIncludeUsageGainIt() {
        check("{\"stream\":true,\"stream_options\":{\"continuous_usage_stats\":true,\"x\":{\"include_usage\":false}}}",
                "{\"stream\":true,\"stream_options\":{\"include_usage\":true,\"continuous_usage_stats\":true,"
                        + "\"x\":{\"include_usage\":false}}}", Asked.ABSENT);
        check("{\"stream_options\":{}}", "{\"stream_options\":{\"include_usage\":true}}", Asked.ABSENT);
        check("{\"stream_options\" : { } }", "{\"stream_options\" : {\"include_usage\":true } }", Asked.ABSENT);
        check("{\"stream_options\":null,\"stream\":true}", "{" + OPTION + ",\"stream\":true}", Asked.ABSENT);
        check("{\"stream_options\" :\tnull }", "{\"stream_options\" :\t{\"include_usage\":true} }", Asked.ABSENT);
    }

    @Test
    void includeUsageFalseOrNullBecomesTrue() {
        check("{\"stream_options\":{\"include_usage\":false}}", "{" + OPTION + "}", Asked.NO);
        check("{\"stream_options\": {\"a\": 1, \"include_usage\" :  false , \"b\": [false]}, \"stream\": true}",
                "{\"stream_options\": {\"a\": 1, \"include_usage\" :  true , \"b\": [false]}, \"stream\": true}", Asked.NO);
        check("{\"stream_options\":{\"include_usage\":null}}", "{" + OPTION + "}", Asked.ABSENT);
    }

    @Test
    void includeUsageTrueIsLeftAsSent() {
        check("{\"stream\":true,\"stream_options\":{ \"include_usage\" : true }}",
                "{\"stream\":true,\"stream_options\":{ \"include_usage\" : true }}", Asked.YES);
    }

    @Test
    void onlyTheTopLevelCounts() {
        String in = "{\"messages\":[{\"role\":\"user\","
                + "\"content\":\"{\\\"stream_options\\\":{\\\"include_usage\\\":false}}\"}],"
                + "\"metadata\":{\"stream_options\":null},\"stream\":true}";
        check(in, "{" + OPTION + "," + in.substring(1), Asked.ABSENT);
    }

    /** Offsets are bytes: characters of two, three and four bytes, raw or escaped, come before the edit. */
    @Test
    void unicodeBeforeTheEdit() {
        String text = "\"messages\":[{\"content\":\"h\u00e9llo \u65e5\u672c \uD83D\uDE00 \\u00e9\\ud83d\\ude00\"}]";
        check("{" + text + ",\"stream_options\":{\"include_usage\":false}}",
                "{" + text + ",\"stream_options\":{\"include_usage\":true}}", Asked.NO);
        check("{" + text + ",\"stream_options\":{\"x\":1}}",
                "{" + text + ",\"stream_options\":{\"include_usage\":true,\"x\":1}}", Asked.ABSENT);
        check("{" + text + ",\"stream_options\":null}", "{" + text + "," + OPTION + "}", Asked.ABSENT);
    }

    @Test
    void oddBodiesComeBackUnchanged() {
        unchanged("");
        unchanged("[1]");
        unchanged("\"text\"");
        unchanged("{\"model\":\"tiny\"");
        unchanged("{\"a\":1} {\"b\":2}");
        unchanged("{\"stream_options\":5}");
        unchanged("{\"stream_options\":[]}");
        unchanged("{\"stream_options\":{\"include_usage\":\"yes\"}}");
        unchanged("{\"stream_options\":{\"include_usage\":false,\"include_usage\":false}}");
        unchanged("{\"stream_options\":{},\"stream_options\":{}}");
    }

    @Test
    void everyRecordedStreamingRequest() {
        for (String name : new String[] {"chat_stream", "completions_stream", "reasoning_stream",
            "chat_tools_parallel_stream", "chat_tools_required_stream", "chat_max_tokens_length_stream",
            "error_prompt_too_long_stream"}) {
            String in = new String(Recording.requestBody(name), StandardCharsets.UTF_8);
            check(in, "{" + OPTION + "," + in.substring(1), Asked.ABSENT);
        }
        for (String name : new String[] {"chat_stream_include_usage", "completions_stream_include_usage"}) {
            String in = new String(Recording.requestBody(name), StandardCharsets.UTF_8);
            check(in, in, Asked.YES);
        }
    }
}
