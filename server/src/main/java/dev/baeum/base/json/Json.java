package dev.baeum.base.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one configured JSON mapper: the web API, the terminal socket, the engine client and the CLI share it. */
public final class Json {

    /** Thread-safe once configured; nobody reconfigures it after this. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS) // ISO-8601 times in every API
            .build();

    private Json() {
    }
}
