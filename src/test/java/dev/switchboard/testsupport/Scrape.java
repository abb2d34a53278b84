package dev.switchboard.testsupport;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoublePredicate;

/**
 * The gateway's {@code /q/metrics} in the Prometheus text format, parsed into samples. Counters only grow and one
 * Quarkus app serves every test of a class (an integration test's jar maybe several classes), so tests compare a
 * value with the one read before the request.
 */
public final class Scrape {

    /** One sample line: {@code name{labels} value}. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final String text;
    private final List<Sample> samples;

    private Scrape(String text) {
        this.text = text;
        this.samples = parse(text);
    }

    public static Scrape now() {
        return new Scrape(given().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    /**
     * Scrapes until {@code sum(name, labels)} satisfies {@code until} (the request's meters are recorded when its
     * response has ended, just after the client has read it); the last scrape when it never does.
     */
    public static Scrape await(DoublePredicate until, String name, String... labels) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        Scrape scrape = now();
        while (!until.test(scrape.sum(name, labels)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            scrape = now();
        }
        return scrape;
    }

    public String text() {
        return text;
    }

    /** The samples named {@code name} that carry every given label ({@code "kind", "prompt", ...}). */
    public List<Sample> find(String name, String... labels) {
        List<Sample> found = new ArrayList<>();
        for (Sample s : samples) {
            if (!s.name().equals(name)) {
                continue;
            }
            boolean all = true;
            for (int i = 0; i + 1 < labels.length; i += 2) {
                all &= labels[i + 1].equals(s.labels().get(labels[i]));
            }
            if (all) {
                found.add(s);
            }
        }
        return found;
    }

    /** The sum of the matching samples; 0 when there is none (a meter not yet registered). */
    public double sum(String name, String... labels) {
        return find(name, labels).stream().mapToDouble(Sample::value).sum();
    }

    private static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            Map<String, String> labels = new LinkedHashMap<>();
            String name;
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                String inner = line.substring(brace + 1, line.lastIndexOf('}'));
                // label values here never hold quotes or commas (backend names, models, statuses)
                for (String pair : inner.split(",")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        labels.put(pair.substring(0, eq), pair.substring(eq + 2, pair.length() - 1));
                    }
                }
            } else {
                name = line.substring(0, space);
            }
            samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
        }
        return samples;
    }
}
