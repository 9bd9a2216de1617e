package dev.approvals.local.apigateway;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses the route for a request as an HTTP API does: the most specific match wins (a literal segment beats a
 * path parameter, which beats a greedy {@code {name+}}; a named method beats {@code ANY}), and {@code $default}
 * takes what nothing else matches. A path that matches only with another method is not found, as on AWS (HTTP APIs
 * answer 404, never 405).
 */
public final class RouteTable {

    /** A matched route and its path parameters (percent-decoded). */
    public record Match(Route route, Map<String, String> pathParameters) {
    }

    private record Candidate(Route route, String[] segments, int literals, boolean greedy) {
    }

    private final List<Candidate> candidates = new ArrayList<>();
    private final Route defaultRoute;

    public RouteTable(List<Route> routes) {
        Route fallback = null;
        for (Route route : routes) {
            if (route.path().equals("$default")) {
                fallback = route;
                continue;
            }
            String[] segments = split(route.path());
            int literals = 0;
            boolean greedy = false;
            for (int i = 0; i < segments.length; i++) {
                String segment = segments[i];
                if (isParameter(segment)) {
                    if (segment.endsWith("+}")) {
                        if (i != segments.length - 1) {
                            throw new IllegalArgumentException("A greedy path variable must come last: " + route.path());
                        }
                        greedy = true;
                    }
                } else {
                    literals++;
                }
            }
            candidates.add(new Candidate(route, segments, literals, greedy));
        }
        candidates.sort(Comparator.comparing((Candidate c) -> c.greedy)
                .thenComparing(c -> -c.literals)
                .thenComparing(c -> -c.segments.length)
                .thenComparing(c -> c.route.method().equals("ANY")));
        this.defaultRoute = fallback;
    }

    public List<Route> routes() {
        List<Route> routes = new ArrayList<>(candidates.stream().map(Candidate::route).toList());
        if (defaultRoute != null) {
            routes.add(defaultRoute);
        }
        return routes;
    }

    /** The route for {@code method} and the raw (still percent-encoded) path, if any. */
    public Optional<Match> match(String method, String rawPath) {
        String[] request = split(rawPath);
        for (Candidate candidate : candidates) {
            if (!candidate.route.method().equals("ANY") && !candidate.route.method().equals(method)) {
                continue;
            }
            Map<String, String> parameters = matchSegments(candidate, request);
            if (parameters != null) {
                return Optional.of(new Match(candidate.route, parameters));
            }
        }
        return defaultRoute == null ? Optional.empty() : Optional.of(new Match(defaultRoute, Map.of()));
    }

    private static Map<String, String> matchSegments(Candidate candidate, String[] request) {
        String[] template = candidate.segments;
        if (candidate.greedy ? request.length < template.length : request.length != template.length) {
            return null;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < template.length; i++) {
            String segment = template[i];
            if (isParameter(segment)) {
                String name = segment.substring(1, segment.length() - (segment.endsWith("+}") ? 2 : 1));
                if (segment.endsWith("+}")) {
                    List<String> rest = new ArrayList<>();
                    for (int j = i; j < request.length; j++) {
                        rest.add(decode(request[j]));
                    }
                    String value = String.join("/", rest);
                    if (value.isEmpty()) {
                        return null;
                    }
                    parameters.put(name, value);
                    return parameters;
                }
                if (request[i].isEmpty()) {
                    return null;
                }
                parameters.put(name, decode(request[i]));
            } else if (!segment.equals(decode(request[i]))) {
                return null;
            }
        }
        return parameters;
    }

    private static boolean isParameter(String segment) {
        return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
    }

    /** "/a/b/" gives [a, b, ""]: a trailing slash is a different path. */
    private static String[] split(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return trimmed.split("/", -1);
    }

    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment;
        }
    }
}
