package dev.approvals.functions;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.approvals.json.Json;
import dev.approvals.local.stepfunctions.LocalStepFunctions;
import dev.approvals.testing.TestContext;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs statemachine/approval-flow.asl.json state by state as Step Functions would, over the real function handlers,
 * the local Data API and the local callback API: JSONPath {@code Parameters}, the intrinsics the definition uses,
 * {@code ResultSelector}, {@code ResultPath}, {@code Retry} (attempts counted, no waiting), {@code Catch}, Choice
 * rules, Fail with {@code CausePath}. Test support only, written from the States Language specification for the
 * subset this definition uses; anything else fails the test loudly. A {@code .waitForTaskToken} task waits for the
 * callback the local callback API received for its token; none by the time the scenario's wait is over is its
 * timeout ({@code States.Timeout}).
 */
final class StateMachineRun {

    static final Path DEFINITION = Path.of(System.getProperty("approvals.repositoryRoot", "../.."))
            .resolve("statemachine/approval-flow.asl.json");
    private static final Pattern INTRINSIC = Pattern.compile("(States\\.\\w+)\\((.*)\\)");
    private static final int MAX_TRANSITIONS = 100;

    /** How an execution ended, and what it went through. */
    record Execution(String status, Object output, String error, String cause, List<String> trace,
                     Map<String, Integer> attempts) {

        @SuppressWarnings("unchecked")
        Map<String, Object> decision() {
            return (Map<String, Object>) ((Map<String, Object>) output).get("decision");
        }
    }

    /** A {@code .waitForTaskToken} task that is waiting, as the scenario sees it. */
    record Waiting(String state, String approvalId, String taskToken) {
    }

    private final Map<String, Object> definition;
    private final Map<String, RequestStreamHandler> functionsBySubstitution;
    private final LocalStepFunctions stepFunctions;
    private Consumer<Waiting> whileWaiting = waiting -> { };
    private final Map<String, Runnable> answerLostOnce = new HashMap<>();
    private final Map<String, Runnable> beforeState = new HashMap<>();
    private boolean realTime;

    /** @param functionsBySubstitution handler per DefinitionSubstitutions name, e.g. WorkflowFunctionAlias */
    StateMachineRun(Map<String, RequestStreamHandler> functionsBySubstitution, LocalStepFunctions stepFunctions) {
        this.definition = map(parse(read(DEFINITION)));
        this.functionsBySubstitution = functionsBySubstitution;
        this.stepFunctions = stepFunctions;
    }

    /** What happens while a task waits for its callback (a person deciding, or nothing: then it times out). */
    StateMachineRun whileWaiting(Consumer<Waiting> scenario) {
        this.whileWaiting = scenario;
        return this;
    }

    /** The next attempt of {@code state} runs, but its answer is lost (Lambda.ServiceException); then {@code meanwhile}. */
    StateMachineRun loseAnswerOnce(String state, Runnable meanwhile) {
        answerLostOnce.put(state, meanwhile);
        return this;
    }

    /**
     * Takes the definition's time for real: a retry waits its interval (without jitter, so the longest wait), a
     * waiting task waits for its callback until its timeout. For measuring; scenarios otherwise run without waiting.
     */
    StateMachineRun inRealTime() {
        realTime = true;
        return this;
    }

    StateMachineRun before(String state, Runnable action) {
        beforeState.put(state, action);
        return this;
    }

    Map<String, Object> states() {
        return map(definition.get("States"));
    }

    Execution start(String executionName, Object input) {
        return start(executionName, input, approvalId -> { });
    }

    /** @param approvalIdSeen told the approval id as soon as the execution has one */
    Execution start(String executionName, Object input, Consumer<String> approvalIdSeen) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("Execution", Map.of("Id", "arn:aws:states:us-east-1:123456789012:execution:ApprovalFlow:"
                + executionName, "Name", executionName, "Input", input));
        context.put("StateMachine", Map.of("Id", "arn:aws:states:us-east-1:123456789012:stateMachine:ApprovalFlow",
                "Name", "ApprovalFlow"));
        List<String> trace = new ArrayList<>();
        Map<String, Integer> attempts = new LinkedHashMap<>();
        String name = (String) definition.get("StartAt");
        Object data = input;
        for (int transition = 0; transition < MAX_TRANSITIONS; transition++) {
            trace.add(name);
            Map<String, Object> state = map(states().get(name));
            Optional.ofNullable(beforeState.remove(name)).ifPresent(Runnable::run);
            context.put("State", Map.of("Name", name));
            String type = (String) state.get("Type");
            String next;
            switch (type) {
                case "Pass" -> {
                    Object result = state.containsKey("Parameters") ? resolve(state.get("Parameters"), data, context) : data;
                    data = place(data, result, state);
                    next = (String) state.get("Next");
                }
                case "Choice" -> next = choose(state, data);
                case "Fail" -> {
                    String cause = state.containsKey("CausePath")
                            ? String.valueOf(path((String) state.get("CausePath"), data, context))
                            : (String) state.get("Cause");
                    return new Execution("FAILED", null, (String) state.get("Error"), cause, trace, attempts);
                }
                case "Task" -> {
                    Outcome outcome = task(name, state, data, context, attempts);
                    if (outcome.error == null) {
                        Object result = state.containsKey("ResultSelector")
                                ? resolve(state.get("ResultSelector"), outcome.result, context) : outcome.result;
                        data = place(data, result, state);
                        next = (String) state.get("Next");
                    } else {
                        Map<String, Object> katch = catcher(state, outcome.error);
                        if (katch == null) {
                            return new Execution("FAILED", null, outcome.error, outcome.cause, trace, attempts);
                        }
                        data = place(data, Map.of("Error", outcome.error, "Cause", outcome.cause), katch);
                        next = (String) katch.get("Next");
                    }
                }
                default -> throw new AssertionError("State type " + type + " is not supported by this runner");
            }
            if (next == null) {
                if (!Boolean.TRUE.equals(state.get("End"))) {
                    throw new AssertionError("State " + name + " has neither Next nor End");
                }
                return new Execution("SUCCEEDED", data, null, null, trace, attempts);
            }
            if (data instanceof Map<?, ?> object && object.get("approvalId") instanceof String id) {
                approvalIdSeen.accept(id);
                approvalIdSeen = seen -> { };
            }
            name = next;
        }
        throw new AssertionError("More than " + MAX_TRANSITIONS + " transitions: " + trace);
    }

    /** The states a state can go to next: Next, Default, each choice's and each catcher's Next. */
    static List<String> targets(Object state) {
        Map<String, Object> object = map(state);
        List<String> targets = new ArrayList<>();
        for (String key : List.of("Next", "Default")) {
            if (object.get(key) instanceof String target) {
                targets.add(target);
            }
        }
        for (String key : List.of("Choices", "Catch")) {
            if (object.get(key) instanceof List<?> rules) {
                rules.forEach(rule -> targets.add((String) map(rule).get("Next")));
            }
        }
        return targets;
    }

    // --- Task states -----------------------------------------------------------------------------------------------

    private record Outcome(Object result, String error, String cause) {
    }

    private Outcome task(String name, Map<String, Object> state, Object data, Map<String, Object> context,
                         Map<String, Integer> attempts) {
        String resource = (String) state.get("Resource");
        boolean waits = resource.endsWith(".waitForTaskToken");
        if (!resource.replace(".waitForTaskToken", "").equals("arn:aws:states:::lambda:invoke")) {
            throw new AssertionError("Resource " + resource + " is not supported by this runner");
        }
        Map<String, Integer> retriesUsed = new HashMap<>();
        while (true) {
            attempts.merge(name, 1, Integer::sum);
            String token = waits ? "token-" + UUID.randomUUID() : null;
            Map<String, Object> taskContext = new LinkedHashMap<>(context);
            if (token != null) {
                taskContext.put("Task", Map.of("Token", token));
            }
            Map<String, Object> parameters = map(resolve(state.get("Parameters"), data, taskContext));
            if (state.containsKey("TimeoutSecondsPath")) {
                Object timeout = path((String) state.get("TimeoutSecondsPath"), data, context);
                if (!(timeout instanceof Integer seconds) || seconds < 1) {
                    return new Outcome(null, "States.Runtime", "TimeoutSecondsPath gave " + timeout);
                }
            }
            long timesOutAt = System.nanoTime() + (state.get("TimeoutSecondsPath") == null ? 0
                    : ((Integer) path((String) state.get("TimeoutSecondsPath"), data, context)) * 1_000_000_000L);
            Outcome outcome = invoke(parameters);
            Runnable lost = answerLostOnce.remove(name);
            if (lost != null) {
                outcome = new Outcome(null, "Lambda.ServiceException", "The answer was lost");
                lost.run();
            } else if (outcome.error == null && waits) {
                whileWaiting.accept(new Waiting(name, (String) map(parameters.get("Payload")).get("approvalId"), token));
                outcome = callbackFor(token);
                while (realTime && "States.Timeout".equals(outcome.error) && System.nanoTime() < timesOutAt) {
                    pause(10);
                    outcome = callbackFor(token);
                }
            }
            if (outcome.error == null) {
                return outcome;
            }
            Map<String, Object> retrier = retrier(state, outcome.error);
            if (retrier == null) {
                return outcome;
            }
            int max = retrier.get("MaxAttempts") instanceof Integer n ? n : 3;
            int retry = retriesUsed.merge(String.valueOf(retrier.get("ErrorEquals")), 1, Integer::sum);
            if (retry > max) {
                return outcome;
            }
            if (realTime) {
                double interval = ((Number) retrier.getOrDefault("IntervalSeconds", 1)).doubleValue()
                        * Math.pow(((Number) retrier.getOrDefault("BackoffRate", 2)).doubleValue(), retry - 1);
                double cap = ((Number) retrier.getOrDefault("MaxDelaySeconds", Integer.MAX_VALUE)).doubleValue();
                pause((long) (Math.min(interval, cap) * 1000));
            }
        }
    }

    /** Lambda's answer as the {@code lambda:invoke} integration returns it, or the thrown error as Lambda names it. */
    private Outcome invoke(Map<String, Object> parameters) {
        String function = ((String) parameters.get("FunctionName")).replaceAll("^\\$\\{(.*)}$", "$1");
        RequestStreamHandler handler = functionsBySubstitution.get(function);
        if (handler == null) {
            throw new AssertionError("No function for " + function);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            // The state machine invokes the functions' alias `workflow` (the template's DefinitionSubstitutions).
            handler.handleRequest(new ByteArrayInputStream(Json.writeBytes(parameters.get("Payload"))), out,
                    TestContext.through("workflow"));
        } catch (RuntimeException thrown) {
            // The Java runtime's error document: the class name is the error, the document the cause.
            String cause = Json.write(Map.of("errorMessage", String.valueOf(thrown.getMessage()),
                    "errorType", thrown.getClass().getName(), "stackTrace", List.of()));
            return new Outcome(null, thrown.getClass().getName(), cause);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Outcome(Map.of("StatusCode", 200, "ExecutedVersion", "1", "Payload", parse(out.toString(StandardCharsets.UTF_8))),
                null, null);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private Outcome callbackFor(String token) {
        return stepFunctions.callbacks().stream()
                .filter(c -> c.taskToken().equals(token) && c.outcome() == LocalStepFunctions.Outcome.ACCEPTED)
                .findFirst()
                .map(c -> c.operation().equals("SendTaskSuccess")
                        ? new Outcome(parse(c.output()), null, null)
                        : new Outcome(null, c.error(), c.cause()))
                .orElse(new Outcome(null, "States.Timeout", "The task timed out"));
    }

    private static Map<String, Object> retrier(Map<String, Object> state, String error) {
        return matching(state.get("Retry"), error);
    }

    private static Map<String, Object> catcher(Map<String, Object> state, String error) {
        return matching(state.get("Catch"), error);
    }

    private static Map<String, Object> matching(Object rules, String error) {
        if (rules == null) {
            return null;
        }
        for (Object rule : (List<?>) rules) {
            List<?> names = (List<?>) map(rule).get("ErrorEquals");
            boolean all = names.contains("States.ALL") && !error.equals("States.Runtime");
            boolean taskFailed = names.contains("States.TaskFailed") && !error.equals("States.Timeout")
                    && !error.equals("States.Runtime");
            if (names.contains(error) || all || taskFailed) {
                return map(rule);
            }
        }
        return null;
    }

    // --- Choice states -------------------------------------------------------------------------------------------

    private static String choose(Map<String, Object> state, Object data) {
        for (Object item : (List<?>) state.get("Choices")) {
            Map<String, Object> rule = map(item);
            Object value = path((String) rule.get("Variable"), data, Map.of());
            boolean matches;
            if (rule.containsKey("BooleanEquals")) {
                matches = rule.get("BooleanEquals").equals(value);
            } else if (rule.containsKey("StringEquals")) {
                matches = rule.get("StringEquals").equals(value);
            } else {
                throw new AssertionError("Choice rule " + rule + " is not supported by this runner");
            }
            if (matches) {
                return (String) rule.get("Next");
            }
        }
        String fallback = (String) state.get("Default");
        if (fallback == null) {
            throw new AssertionError("States.NoChoiceMatched");
        }
        return fallback;
    }

    // --- paths, parameters, intrinsics ------------------------------------------------------------------------------

    /** ResultPath: null discards the result, "$" replaces the input, "$.a.b" sets that member of a copy. */
    private static Object place(Object data, Object result, Map<String, Object> state) {
        if (state.containsKey("ResultPath") && state.get("ResultPath") == null) {
            return data;
        }
        String resultPath = state.containsKey("ResultPath") ? (String) state.get("ResultPath") : "$";
        if (resultPath.equals("$")) {
            return result;
        }
        Map<String, Object> copy = map(parse(Json.write(data)));
        Map<String, Object> target = copy;
        String[] names = resultPath.substring(2).split("\\.");
        for (int i = 0; i < names.length - 1; i++) {
            target = map(target.computeIfAbsent(names[i], k -> new LinkedHashMap<>()));
        }
        target.put(names[names.length - 1], result);
        return copy;
    }

    private static Object resolve(Object template, Object data, Map<String, Object> context) {
        if (template instanceof Map<?, ?> object) {
            Map<String, Object> resolved = new LinkedHashMap<>();
            object.forEach((key, value) -> {
                String name = (String) key;
                if (name.endsWith(".$")) {
                    resolved.put(name.substring(0, name.length() - 2), expression((String) value, data, context));
                } else {
                    resolved.put(name, resolve(value, data, context));
                }
            });
            return resolved;
        }
        if (template instanceof List<?> list) {
            return list.stream().map(item -> resolve(item, data, context)).toList();
        }
        return template;
    }

    private static Object expression(String text, Object data, Map<String, Object> context) {
        Matcher intrinsic = INTRINSIC.matcher(text.strip());
        if (!intrinsic.matches()) {
            return path(text, data, context);
        }
        List<Object> arguments = new ArrayList<>();
        for (String argument : splitArguments(intrinsic.group(2))) {
            arguments.add(argument.startsWith("'")
                    ? argument.substring(1, argument.length() - 1).replace("\\'", "'")
                    : expression(argument, data, context));
        }
        return switch (intrinsic.group(1)) {
            case "States.UUID" -> UUID.randomUUID().toString();
            case "States.StringToJson" -> parse((String) arguments.getFirst());
            case "States.JsonToString" -> Json.write(arguments.getFirst());
            case "States.Format" -> {
                String format = (String) arguments.getFirst();
                StringBuilder out = new StringBuilder();
                int argument = 1;
                for (int i = 0; i < format.length(); i++) {
                    if (format.startsWith("{}", i)) {
                        out.append(arguments.get(argument++));
                        i++;
                    } else {
                        out.append(format.charAt(i));
                    }
                }
                yield out.toString();
            }
            default -> throw new AssertionError(intrinsic.group(1) + " is not supported by this runner");
        };
    }

    private static List<String> splitArguments(String text) {
        List<String> arguments = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && quoted && i + 1 < text.length()) {
                current.append(c).append(text.charAt(++i));
                continue;
            }
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            } else if (!quoted && depth == 0 && c == ',') {
                arguments.add(current.toString().strip());
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        if (!current.toString().isBlank()) {
            arguments.add(current.toString().strip());
        }
        return arguments;
    }

    /** {@code $}, {@code $.a.b} into the data, {@code $$.A.B} into the context object; a missing member is a runtime error. */
    private static Object path(String expression, Object data, Map<String, Object> context) {
        Object current = expression.startsWith("$$") ? context : data;
        String rest = expression.replaceFirst("^\\$\\$?", "");
        if (!rest.isEmpty()) {
            for (String name : rest.substring(1).split("\\.")) {
                if (!(current instanceof Map<?, ?> object) || !object.containsKey(name)) {
                    throw new AssertionError("States.Runtime: " + expression + " does not exist in the input");
                }
                current = object.get(name);
            }
        }
        return current;
    }

    private static Object parse(String json) {
        return Json.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }
}
