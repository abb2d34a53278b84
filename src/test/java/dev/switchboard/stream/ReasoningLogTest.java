package dev.switchboard.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.buffer.Buffer;

class ReasoningLogTest {

    private final Logger logger = Logger.getLogger("switchboard.reasoning");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level level;

    @BeforeEach
    void listen() {
        level = logger.getLevel();
        logger.addHandler(capture);
    }

    @AfterEach
    void stop() {
        logger.removeHandler(capture);
        logger.setLevel(level);
    }

    private static ReasoningTap tap(String reasoning, int max) {
        ReasoningTap tap = new ReasoningTap(max);
        tap.onAnswer(Buffer.buffer("{\"choices\":[{\"message\":{\"content\":\"c\",\"reasoning_content\":\""
                + reasoning + "\"}}]}"));
        return tap;
    }

    @Test
    void infoGivesTheLengthOnly() {
        logger.setLevel(Level.INFO);
        ReasoningLog.log("req-1", "local", "qwen3", tap("secret thoughts", 100));
        assertEquals(1, records.size());
        assertEquals("request=req-1 backend=local model=qwen3 reasoning_chars=15", records.get(0).getMessage());
        assertEquals("INFO", records.get(0).getLevel().getName());
    }

    @Test
    void debugAddsTheTextOnItsOneLine() {
        logger.setLevel(Level.FINE);
        ReasoningLog.log(null, "local", "qwen3", tap("a \\\"b\\\"\\nINFO fake line\\u0007", 100));
        String line = records.get(0).getMessage();
        assertEquals("request=- backend=local model=qwen3 reasoning_chars=21 truncated=false"
                + " text=\"a \\\"b\\\"\\nINFO fake line\\u0007\"", line);
        assertTrue(line.indexOf('\n') < 0);
        StringBuilder control = new StringBuilder();
        ReasoningLog.escape("\u0007\u2028", control);
        assertEquals("\\u0007\\u2028", control.toString());
    }

    @Test
    void noReasoningNoLine() {
        logger.setLevel(Level.FINE);
        ReasoningLog.log("req-2", "local", "qwen3", new ReasoningTap(100));
        ReasoningLog.log("req-3", "local", "qwen3", null);
        assertEquals(List.of(), records);
    }
}
