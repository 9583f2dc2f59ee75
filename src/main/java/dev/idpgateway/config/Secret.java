package dev.idpgateway.config;

import com.fasterxml.jackson.annotation.JsonCreator;

/** A setting that must never be printed: its {@code toString} hides the value, so a logged config record cannot leak it. */
public record Secret(String value) {
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public Secret {
    }

    @Override
    public String toString() {
        return "****";
    }
}
