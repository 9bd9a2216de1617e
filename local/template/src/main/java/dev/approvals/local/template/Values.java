package dev.approvals.local.template;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers for the plain values a template is made of: maps, lists, strings, numbers, booleans. */
final class Values {

    private Values() {
    }

    /** {@code value} as a String-keyed map, or a {@link TemplateException} naming {@code what}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object value, String what) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new TemplateException(what + " must be a mapping, not " + describe(value));
        }
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                throw new TemplateException(what + " has a key that is not text: " + key);
            }
        }
        return (Map<String, Object>) map;
    }

    /** {@code value} as a map, or an empty map when it is absent. */
    static Map<String, Object> mapOrEmpty(Object value, String what) {
        return value == null ? Map.of() : asMap(value, what);
    }

    @SuppressWarnings("unchecked")
    static List<Object> asList(Object value, String what) {
        if (!(value instanceof List<?> list)) {
            throw new TemplateException(what + " must be a list, not " + describe(value));
        }
        return (List<Object>) list;
    }

    /** A deep copy made of LinkedHashMap and ArrayList, free to be changed. */
    static Object mutableCopy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), mutableCopy(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(mutableCopy(v)));
            return copy;
        }
        return value;
    }

    /** A deep copy that cannot be changed (map order kept; nulls allowed, unlike Map.copyOf). */
    static Object frozenCopy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), frozenCopy(v)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(frozenCopy(v)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }

    /** True for {@code {Ref: ...}}, {@code {Condition: ...}} and {@code {Fn::...: ...}}: a one-key intrinsic function. */
    static boolean isIntrinsic(Object value) {
        if (value instanceof Map<?, ?> map && map.size() == 1) {
            Object key = map.keySet().iterator().next();
            return key instanceof String name
                    && (name.equals("Ref") || name.equals("Condition") || name.startsWith("Fn::"));
        }
        return false;
    }

    static String describe(Object value) {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof Map<?, ?>) {
            return "a mapping";
        }
        if (value instanceof List<?>) {
            return "a list";
        }
        return "'" + value + "'";
    }

    static List<Object> arguments(Object argument, String function, int count) {
        List<Object> list = Values.asList(argument, function + " arguments");
        if (list.size() != count) {
            throw new TemplateException(function + " takes " + count + " arguments, not " + list.size());
        }
        return list;
    }

    static boolean truth(Object value, String what) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw new TemplateException(what + " must be true or false, not " + Values.describe(value));
    }

    static String text(Object value, String what) {
        if (value instanceof String s) {
            return s;
        }
        throw new TemplateException(what + " must be text, not " + Values.describe(value));
    }

    static String scalarText(Object value) {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        throw new TemplateException("Expected text, a number or a boolean, not " + Values.describe(value));
    }

    static List<String> splitList(String value) {
        return value.isEmpty() ? List.of() : List.of(value.split(",", -1)).stream().map(String::strip).toList();
    }
}
