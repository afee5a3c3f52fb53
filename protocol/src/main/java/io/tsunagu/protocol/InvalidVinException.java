package io.tsunagu.protocol;

/** A string that is not a valid VIN; the message names what is wrong. */
public final class InvalidVinException extends TsunaguException {
    private static final long serialVersionUID = 1L;

    public InvalidVinException(String raw, String problem) {
        super("invalid_vin", "invalid VIN '" + raw + "': " + problem, false);
    }
}
