package dev.switchboard.testsupport;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what the gateway logs on some categories ({@code switchboard.access}, {@code switchboard.routing}) while a
 * {@code @QuarkusTest} runs: the app shares the test's JVM there. (A {@code @QuarkusIntegrationTest} runs the app in
 * its own process, where nothing is seen.)
 */
public final class LogCapture {

    private final List<Logger> loggers;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = record.getParameters() == null ? record.getMessage()
                    : String.format(record.getMessage(), record.getParameters());
            lines.add(record.getLoggerName() + ": " + message);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    public LogCapture(String... categories) {
        // held here: a logger nobody references may be collected with its handler
        this.loggers = Arrays.stream(categories).map(Logger::getLogger).toList();
    }

    public void start() {
        lines.clear();
        loggers.forEach(l -> l.addHandler(handler));
    }

    public void stop() {
        loggers.forEach(l -> l.removeHandler(handler));
    }

    public void clear() {
        lines.clear();
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    /**
     * The first line holding every fragment, waiting up to 2 s for it: the access line is written when the response
     * ends, just after the client has it.
     */
    public String lineWith(String... fragments) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            for (String line : lines) {
                if (Arrays.stream(fragments).allMatch(line::contains)) {
                    return line;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no log line with " + Arrays.toString(fragments) + " in " + lines);
    }

    /** How many lines hold every fragment, now. */
    public long count(String... fragments) {
        return lines.stream().filter(line -> Arrays.stream(fragments).allMatch(line::contains)).count();
    }
}
