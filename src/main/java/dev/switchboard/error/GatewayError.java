package dev.switchboard.error;

/**
 * A request Switchboard answers itself with an error, before anything reaches the backend; rendered in OpenAI's
 * envelope by {@link ErrorMappers}.
 */
public final class GatewayError extends RuntimeException {

    private final int status;
    private final String code;

    public GatewayError(int status, String message, String code) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
