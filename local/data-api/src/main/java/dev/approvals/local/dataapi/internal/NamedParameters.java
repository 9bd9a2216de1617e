package dev.approvals.local.dataapi.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Rewrites the Data API's {@code :name} placeholders for PgJDBC, reproducing what the service does.
 *
 * <p>The service rewrites {@code :name} to server-side positional {@code $n} with a scanner that skips
 * {@code '...'} strings, {@code "..."} identifiers, {@code --} and {@code /* *}{@code /} comments and {@code ::}
 * casts, but <em>not</em> dollar-quoted strings ({@code SELECT $$a :b c$$} returns {@code a $1 c}) and not array
 * slices ({@code a[1:2]} becomes {@code a[1$1]}, a syntax error). Names are runs of letters, digits and {@code _};
 * the n of {@code $n} numbers distinct names in order of first appearance.
 *
 * <p>PgJDBC wants {@code ?} instead, and has its own view of the text (it does know dollar quotes). So a
 * placeholder becomes {@code ?} (bound to the parameter's value) where PgJDBC sees plain SQL and a value was
 * supplied; elsewhere it becomes the literal {@code $n} the service would have produced, which PostgreSQL then
 * treats exactly as it treats the service's text (inside a string: literal text; unsupplied: "there is no
 * parameter $n"; in a slice: a syntax error). A literal {@code ?} in plain SQL (the jsonb operators) is escaped
 * as {@code ??} so PgJDBC leaves it alone.
 */
public final class NamedParameters {

    /** One {@code :name} occurrence found by the service's scanner. */
    record Token(int start, int end, String name) {
    }

    /**
     * The SQL for PgJDBC.
     *
     * @param sql       the text with {@code ?} placeholders
     * @param bindOrder the parameter name for each {@code ?}, in order
     * @param names     every distinct name the service's scanner found, in order of first appearance
     */
    public record Rewritten(String sql, List<String> bindOrder, List<String> names) {
    }

    private final String sql;
    private final List<Token> tokens;
    private final List<String> names;

    private NamedParameters(String sql, List<Token> tokens) {
        this.sql = sql;
        this.tokens = tokens;
        Set<String> distinct = new LinkedHashSet<>();
        tokens.forEach(t -> distinct.add(t.name()));
        this.names = List.copyOf(distinct);
    }

    /** Scans {@code sql} the way the Data API does. */
    public static NamedParameters parse(String sql) {
        return new NamedParameters(sql, serviceTokens(sql));
    }

    /** Every distinct parameter name in the SQL, in order of first appearance. */
    public List<String> names() {
        return names;
    }

    /** Rewrites for PgJDBC, binding only the names in {@code supplied}. */
    public Rewritten rewrite(Set<String> supplied) {
        boolean[] plain = pgjdbcPlainCode(sql);
        StringBuilder out = new StringBuilder(sql.length() + 16);
        List<String> bindOrder = new ArrayList<>();
        int tokenIndex = 0;
        int i = 0;
        while (i < sql.length()) {
            Token token = tokenIndex < tokens.size() ? tokens.get(tokenIndex) : null;
            if (token != null && token.start() == i) {
                if (plain[i] && supplied.contains(token.name())) {
                    out.append('?');
                    bindOrder.add(token.name());
                } else {
                    out.append('$').append(names.indexOf(token.name()) + 1);
                }
                i = token.end();
                tokenIndex++;
                continue;
            }
            char c = sql.charAt(i);
            if (c == '?' && plain[i]) {
                out.append("??");
            } else {
                out.append(c);
            }
            i++;
        }
        return new Rewritten(out.toString(), List.copyOf(bindOrder), names);
    }

    /** The service's scanner: strings, identifiers, comments and {@code ::} are skipped; dollar quotes are not. */
    static List<Token> serviceTokens(String sql) {
        List<Token> tokens = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                i = skipQuoted(sql, i, c, false);
            } else if (c == '-' && at(sql, i + 1) == '-') {
                i = skipLineComment(sql, i);
            } else if (c == '/' && at(sql, i + 1) == '*') {
                i = skipBlockComment(sql, i);
            } else if (c == ':' && at(sql, i + 1) == ':') {
                i += 2;
                while (i < n && sql.charAt(i) == ':') {
                    i++;
                }
            } else if (c == ':' && isNameChar(at(sql, i + 1))) {
                int end = i + 1;
                while (end < n && isNameChar(sql.charAt(end))) {
                    end++;
                }
                tokens.add(new Token(i, end, sql.substring(i + 1, end)));
                i = end;
            } else {
                i++;
            }
        }
        return List.copyOf(tokens);
    }

    /** For each character: true where PgJDBC sees plain SQL (not a string, identifier, comment or dollar quote). */
    static boolean[] pgjdbcPlainCode(String sql) {
        int n = sql.length();
        boolean[] plain = new boolean[n];
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            int end;
            if (c == '\'') {
                boolean escapes = i > 0 && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e')
                        && (i < 2 || !isIdentifierChar(sql.charAt(i - 2)));
                end = skipQuoted(sql, i, '\'', escapes);
            } else if (c == '"') {
                end = skipQuoted(sql, i, '"', false);
            } else if (c == '-' && at(sql, i + 1) == '-') {
                end = skipLineComment(sql, i);
            } else if (c == '/' && at(sql, i + 1) == '*') {
                end = skipBlockComment(sql, i);
            } else if (c == '$' && dollarTag(sql, i) != null) {
                String tag = dollarTag(sql, i);
                int close = sql.indexOf(tag, i + tag.length());
                end = close < 0 ? n : close + tag.length();
            } else {
                plain[i] = true;
                i++;
                continue;
            }
            i = end;
        }
        return plain;
    }

    private static String dollarTag(String sql, int i) {
        if (i > 0 && isIdentifierChar(sql.charAt(i - 1))) {
            return null;
        }
        int j = i + 1;
        if (j < sql.length() && sql.charAt(j) == '$') {
            return "$$";
        }
        if (j >= sql.length() || !(Character.isLetter(sql.charAt(j)) || sql.charAt(j) == '_')) {
            return null;
        }
        while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
            j++;
        }
        return j < sql.length() && sql.charAt(j) == '$' ? sql.substring(i, j + 1) : null;
    }

    private static int skipQuoted(String sql, int start, char quote, boolean backslashEscapes) {
        int i = start + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == quote) {
                if (at(sql, i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return sql.length();
    }

    private static int skipLineComment(String sql, int start) {
        int end = sql.indexOf('\n', start);
        return end < 0 ? sql.length() : end + 1;
    }

    private static int skipBlockComment(String sql, int start) {
        int depth = 0;
        int i = start;
        while (i < sql.length()) {
            if (sql.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (sql.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return sql.length();
    }

    private static char at(String s, int i) {
        return i < s.length() ? s.charAt(i) : '\0';
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    private static boolean isIdentifierChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
