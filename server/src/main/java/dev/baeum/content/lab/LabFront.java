package dev.baeum.content.lab;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A lab's front matter as written (labs/README.md). Plain text keys are strings; keys that take a list, a map or a
 * typed value stay YAML nodes so their checks can explain what is wrong in Korean instead of failing the binding.
 */
record LabFront(String title, String summary, String lesson, String image, JsonNode nodes, String network,
                JsonNode docker, JsonNode binds, String submission, JsonNode limits,
                @JsonProperty("time_limit") String timeLimit, JsonNode capabilities, String kind, String estimate) {
}
