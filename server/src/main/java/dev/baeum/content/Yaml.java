package dev.baeum.content;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The one YAML mapper of the content layer (front matter, quizzes, lab settings); thread-safe once built.
 * Unknown keys are not a binding error: readers report them as warnings with their line.
 */
public final class Yaml {

    public static final ObjectMapper MAPPER = YAMLMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Yaml() {
    }
}
