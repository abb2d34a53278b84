package dev.switchboard.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import dev.switchboard.error.OpenAiError;
import dev.switchboard.json.JsonTrees;
import dev.switchboard.metrics.UsageTotals;

/**
 * Token totals since Switchboard started, by backend and model, as JSON. Under {@code /v1} so gateway keys protect it
 * like the API it accounts for.
 */
@Path("/v1/usage")
public class UsageResource {

    private final UsageTotals totals;

    public UsageResource(UsageTotals totals) {
        this.totals = totals;
    }

    @GET
    public Response totals() {
        return OpenAiError.json(200, JsonTrees.encode(totals.toJson()));
    }
}
