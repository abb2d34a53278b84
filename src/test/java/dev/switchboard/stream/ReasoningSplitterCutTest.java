package dev.switchboard.stream;

import static dev.switchboard.stream.Chunks.events;
import static dev.switchboard.stream.Chunks.field;
import static dev.switchboard.stream.Chunks.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.vertx.core.buffer.Buffer;

/**
 * The same text cut into two and into three content deltas at every position (tags split across events included):
 * the client must read the same reasoning and content whatever the cuts, in as many events as the backend sent.
 */
class ReasoningSplitterCutTest {

    // '|' stands for a newline, '~' for nothing; the expectations are written out, not computed by the code under test
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "<think>|I think a < b </th ink>|</think>||The answer: <think> stays.; I think a < b </th ink>|; The answer: <think> stays.",
        "<think>all thought, never closed </thi; all thought, never closed </thi; ~",
        "<thinking about it>; ~; <thinking about it>",
        "<thi; ~; <thi",
        "<think>| |</think>|ok; ~; ok",
        "no tag at all; ~; no tag at all",
    })
    void everyCutReadsTheSame(String text, String reasoning, String content) {
        String whole = unfold(text);
        for (ReasoningMode mode : List.of(ReasoningMode.SPLIT, ReasoningMode.STRIP)) {
            String expectedReasoning = mode == ReasoningMode.SPLIT ? unfold(reasoning) : "";
            for (int i = 0; i <= whole.length(); i++) {
                check(mode, List.of(whole.substring(0, i), whole.substring(i)), expectedReasoning, unfold(content));
                for (int j = i; j <= whole.length(); j++) {
                    check(mode, List.of(whole.substring(0, i), whole.substring(i, j), whole.substring(j)),
                            expectedReasoning, unfold(content));
                }
            }
        }
    }

    private static void check(ReasoningMode mode, List<String> pieces, String reasoning, String content) {
        List<Buffer> in = Chunks.stream(pieces);
        List<Buffer> out = run(new ReasoningSplitter(mode), in);
        String cuts = mode + " " + pieces;
        assertEquals(reasoning, field(out, 0, "reasoning_content"), cuts);
        assertEquals(content, field(out, 0, "content"), cuts);
        assertEquals(in.size(), events(out).size(), cuts);
    }

    private static String unfold(String table) {
        return table.equals("~") ? "" : table.replace('|', '\n');
    }
}
