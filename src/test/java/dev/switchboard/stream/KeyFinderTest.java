package dev.switchboard.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.vertx.core.buffer.Buffer;

class KeyFinderTest {

    private static final KeyFinder USAGE_TIMINGS = new KeyFinder("usage", "timings");

    private static int[] find(String text) {
        return USAGE_TIMINGS.values(Buffer.buffer(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void findsEachKeyWhereverItIs() {
        for (int before = 0; before < 24; before++) {
            for (int after = 0; after < 12; after++) {
                String pad = "x".repeat(before);
                String text = pad + "\"usage\":{}" + "y".repeat(after);
                assertArrayEquals(new int[] {before + 8, -1}, find(text), text);
                text = pad + "\"timings\":{}" + "y".repeat(after);
                assertArrayEquals(new int[] {-1, before + 10}, find(text), text);
            }
        }
    }

    @Test
    void pointsAtTheValuePastWhitespaceAndTakesTheFirstOccurrence() {
        String text = "{\"timings\" :\n {\"a\":1},\"usage\"\t:  null,\"usage\":{}}";
        assertArrayEquals(new int[] {text.indexOf("null"), text.indexOf('{', 1)}, find(text));
    }

    @Test
    void textThatIsNotTheKeyIsNotFound() {
        assertArrayEquals(new int[] {-1, -1}, find("{\"a\":\"usage\",\"b\":[\"timings\"]}"));
        assertArrayEquals(new int[] {-1, -1}, find("{\"content\":\"\\\"usage\\\":{\\\"prompt_tokens\\\":5}\"}"));
        assertArrayEquals(new int[] {-1, -1}, find("{\"usages\":{},\"my_usage\":{},\"timing\":{}}"));
        assertArrayEquals(new int[] {-1, -1}, find("\"usage\""));
        assertArrayEquals(new int[] {-1, -1}, find(""));
    }

    /** The skipping search against a plain one, on text made of the keys' own bytes, where skips go wrong. */
    @Test
    void agreesWithANaiveSearch() {
        Random random = new Random(42);
        char[] alphabet = "\"usagetimn: x".toCharArray();
        for (int round = 0; round < 20_000; round++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                text.append(alphabet[random.nextInt(alphabet.length)]);
            }
            if (random.nextInt(3) == 0) {
                text.insert(random.nextInt(text.length() + 1), random.nextBoolean() ? "\"usage\":" : "\"timings\" :");
            }
            String s = text.toString();
            assertArrayEquals(new int[] {naive(s, "usage"), naive(s, "timings")}, find(s), s);
        }
    }

    private static int naive(String text, String name) {
        String key = '"' + name + '"';
        for (int at = text.indexOf(key); at >= 0; at = text.indexOf(key, at + 1)) {
            int i = at + key.length();
            while (i < text.length() && " \n\r\t".indexOf(text.charAt(i)) >= 0) {
                i++;
            }
            if (i < text.length() && text.charAt(i) == ':') {
                i++;
                while (i < text.length() && " \n\r\t".indexOf(text.charAt(i)) >= 0) {
                    i++;
                }
                return i;
            }
        }
        return -1;
    }

    @Test
    void oneKeyAlone() {
        KeyFinder choices = new KeyFinder("choices");
        String text = "{\"id\":\"x\",\"choices\": [],\"usage\":{}}";
        assertEquals(text.indexOf('['), choices.values(Buffer.buffer(text))[0]);
    }
}
