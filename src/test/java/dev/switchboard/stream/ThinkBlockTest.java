package dev.switchboard.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ThinkBlockTest {

    /** Whole text in, then end: {reasoning, content}. */
    private static String[] split(String text) {
        ThinkBlock block = new ThinkBlock();
        block.feed(text);
        block.end();
        return new String[] {block.takeReasoning(), block.takeContent()};
    }

    // '|' stands for a newline, '~' for nothing, so the table stays readable
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "<think>OREDHyd sovere</think>|| making; OREDHyd sovere; ' making'", // think_none_chat vs think_deepseek_chat
        "<think> Meadow cipher; ' Meadow cipher'; ~",                       // unclosed: all reasoning, spaces kept
        "<think>|a|</think>|||b; a|; |b",                                   // one newline after <think>, two after </think>
        "<think>||a</think>b; |a; b",
        "<think>a</think> |b; a; ' |b'",                                    // only newlines are dropped
        "<think>| |</think>|answer; ~; answer",                             // blank reasoning: none (llama.cpp)
        "<think></think>; ~; ~",
        "<think>; ~; ~",
        "<think>a</thi; a</thi; ~",                                         // unclosed, a partial tag is text
        "<thi; ~; <thi",                                                    // text that only began like the tag
        "<thinking>x; ~; <thinking>x",
        "' <think>a</think>b'; ~; ' <think>a</think>b'",                   // only at the very start
        "plain text; ~; plain text",
        "<think>a</think>b</think>c; a; b</think>c",                        // the first close ends it
        "<think>a<think>b</think>c; a<think>b; c",
    })
    void splitsLikeLlamaCpp(String text, String reasoning, String content) {
        String[] out = split(unfold(text));
        assertEquals(unfold(reasoning), out[0], "reasoning");
        assertEquals(unfold(content), out[1], "content");
    }

    private static String unfold(String table) {
        return table.equals("~") ? "" : table.replace('|', '\n');
    }

    @Test
    void holdsOnlyWhatCouldBeATag() {
        ThinkBlock block = new ThinkBlock();
        block.feed("<thi");
        assertTrue(block.holding());
        assertEquals("", block.takeContent());
        block.feed("nk>abc</th");
        assertEquals("abc", block.takeReasoning());
        assertTrue(block.holding(), "</th held");
        block.feed("ink>\n\nanswer");
        assertEquals("", block.takeReasoning());
        assertEquals("answer", block.takeContent());
        assertTrue(block.decided());
    }

    @Test
    void blankReasoningWaitsForText() {
        ThinkBlock block = new ThinkBlock();
        block.feed("<think>\n\n  ");
        assertEquals("", block.takeReasoning());
        block.feed("x");
        assertEquals("\n  x", block.takeReasoning(), "the blank start goes out with the first text, minus one newline");
    }

    @Test
    void backendThatSplitsItselfKeepsItsContent() {
        ThinkBlock block = new ThinkBlock();
        block.feed("<thi");
        block.backendSplits();
        assertEquals("<thi", block.takeContent());
        assertTrue(block.decided());
        assertFalse(block.holding());
    }
}
