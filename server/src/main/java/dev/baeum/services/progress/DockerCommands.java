package dev.baeum.services.progress;

import dev.baeum.runtime.sandbox.EngineRepository;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which docker commands learners ran in a lab, read back from the API calls their clients sent: a
 * {@code docker run} is a create (then attach, wait, start), a {@code docker ps} a container list, and so on.
 */
public final class DockerCommands {

    /** One command: how often, by how many learners, how often it failed. */
    public record Row(String command, long calls, int learners, long failed) {
    }

    private DockerCommands() {
    }

    public static List<Row> of(List<String[]> calls) {
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, Set<String>> learners = new LinkedHashMap<>();
        for (String[] c : calls) {
            String command = name(c[0], c[1]);
            if (command == null) {
                continue;
            }
            long[] n = counts.computeIfAbsent(command, k -> new long[2]);
            n[0]++;
            if (Integer.parseInt(c[2]) >= 400) {
                n[1]++;
            }
            learners.computeIfAbsent(command, k -> new HashSet<>()).add(c[3]);
        }
        List<Row> rows = new ArrayList<>();
        counts.forEach((k, n) -> rows.add(new Row(k, n[0], learners.get(k).size(), n[1])));
        rows.sort(Comparator.comparingLong(Row::calls).reversed().thenComparing(Row::command));
        return rows;
    }

    /** The CLI command behind a call, or null for the calls every command makes (_ping) and inner steps. */
    static String name(String method, String path) {
        String[] s = path.substring(1).split("/");
        String first = s[0];
        int n = s.length;
        return switch (first) {
            case "containers" -> container(method, s, n);
            case "exec" -> null; // part of docker exec (counted at its create)
            case "images" -> image(method, s, n);
            case "build" -> n == 1 ? "docker build" : "docker builder prune";
            case "commit" -> "docker commit";
            case "networks" -> "docker network " + (method.equals("GET") ? (n == 1 ? "ls" : "inspect")
                    : method.equals("DELETE") ? "rm" : n >= 3 ? s[2] : s.length > 1 ? s[1] : "?");
            case "volumes" -> "docker volume " + (method.equals("GET") ? (n == 1 ? "ls" : "inspect")
                    : method.equals("DELETE") ? "rm" : s.length > 1 ? s[1] : "?");
            case "info" -> "docker info";
            case "version" -> "docker version";
            case "events" -> "docker events";
            case "system" -> "docker system df";
            case "auth" -> "docker login";
            case "_ping" -> null;
            default -> method + " " + path;
        };
    }

    private static String container(String method, String[] s, int n) {
        if (n == 2) {
            return switch (s[1]) {
                case "json" -> "docker ps";
                case "create" -> "docker run/create";
                case "prune" -> "docker container prune";
                default -> method.equals("DELETE") ? "docker rm" : null;
            };
        }
        if (n < 3) {
            return null;
        }
        return switch (s[2]) {
            case "json" -> "docker inspect";
            case "logs" -> "docker logs";
            case "exec" -> "docker exec";
            case "stop" -> "docker stop";
            case "start" -> "docker start (run)";
            case "restart" -> "docker restart";
            case "kill" -> "docker kill";
            case "top" -> "docker top";
            case "stats" -> "docker stats";
            case "changes" -> "docker diff";
            case "archive" -> "docker cp";
            case "rename" -> "docker rename";
            case "pause" -> "docker pause";
            case "unpause" -> "docker unpause";
            case "export" -> "docker export";
            case "update" -> "docker update";
            default -> null; // attach, wait, resize: steps of run/start/exec
        };
    }

    private static String image(String method, String[] s, int n) {
        String last = s[n - 1];
        if (n == 2) {
            return switch (last) {
                case "json" -> "docker images";
                case "create" -> "docker pull";
                case "prune" -> "docker image prune";
                case "search" -> "docker search";
                default -> method.equals("DELETE") ? "docker rmi" : null;
            };
        }
        if (method.equals("DELETE")) {
            return "docker rmi";
        }
        return switch (last) {
            case "json" -> "docker image inspect";
            case "history" -> "docker history";
            case "tag" -> "docker tag";
            case "push" -> "docker push";
            default -> null;
        };
    }

    /** The calls that failed most, grouped by what they asked (IDs and names left out), with the latest message. */
    public static List<EngineRepository.Failure> failures(EngineRepository records, String labId) {
        Map<String, EngineRepository.Failure> grouped = new LinkedHashMap<>();
        for (EngineRepository.Failure f : records.failedCalls(labId, 5000)) {
            String path = shape(f.path());
            String key = f.method() + " " + path + " " + f.status();
            EngineRepository.Failure seen = grouped.get(key);
            grouped.put(key, seen == null ? new EngineRepository.Failure(f.method(), path, f.status(), 1, f.error())
                    : new EngineRepository.Failure(seen.method(), seen.path(), seen.status(), seen.count() + 1, seen.error()));
        }
        return grouped.values().stream().sorted(Comparator.comparingLong(EngineRepository.Failure::count).reversed())
                .limit(10).toList();
    }

    /** {@code /containers/web/start} → {@code /containers/{id}/start}; image names likewise. */
    static String shape(String path) {
        String[] s = path.substring(1).split("/");
        if (s.length >= 3 && List.of("containers", "exec", "networks", "volumes").contains(s[0])) {
            s[1] = "{id}";
            return "/" + String.join("/", s);
        }
        if (s.length >= 3 && s[0].equals("images")) {
            return "/images/{name}/" + s[s.length - 1];
        }
        if (s.length == 2 && List.of("containers", "networks", "volumes", "images").contains(s[0])
                && !List.of("json", "create", "prune", "search").contains(s[1])) {
            return "/" + s[0] + "/{id}";
        }
        return path;
    }
}
