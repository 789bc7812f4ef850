package dev.baeum.content;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** The one YAML mapper of the content layer (front matter, quizzes); thread-safe once configured. */
public final class Yaml {

    public static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Yaml() {
    }
}
