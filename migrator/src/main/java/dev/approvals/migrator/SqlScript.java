package dev.approvals.migrator;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a PostgreSQL script into single statements, because the Data API runs exactly one statement per call.
 *
 * <p>A real scanner, not a regular expression: a {@code ;} ends a statement only outside single-quoted strings
 * (with {@code ''} and, in {@code E'...'} strings, backslash escapes), double-quoted identifiers, {@code --} and
 * nested {@code /* *}{@code /} comments, and dollar-quoted strings ({@code $$...$$}, {@code $tag$...$tag$}).
 * Statements that hold only whitespace and comments are dropped. Not supported: SQL-standard function bodies
 * ({@code BEGIN ATOMIC ... END}), whose inner semicolons psql handles specially; use a dollar-quoted body instead.
 */
public final class SqlScript {

    /** One statement of a script: its 1-based position, the 1-based line it starts on, and its text (no {@code ;}). */
    public record Statement(int number, int line, String sql) {
    }

    private SqlScript() {
    }

    /** Splits {@code script} into its statements, in order. */
    public static List<Statement> split(String script) {
        List<Statement> statements = new ArrayList<>();
        Scanner scanner = new Scanner(script);
        int start = -1;
        int startLine = 0;
        while (!scanner.atEnd()) {
            char c = scanner.peek();
            if (c == ';') {
                if (start >= 0) {
                    statements.add(new Statement(statements.size() + 1, startLine, script.substring(start, scanner.pos).strip()));
                    start = -1;
                }
                scanner.advance(1);
                continue;
            }
            if (Character.isWhitespace(c)) {
                scanner.advance(1);
                continue;
            }
            if (scanner.skipComment()) {
                continue;
            }
            if (start < 0) {
                start = scanner.pos;
                startLine = scanner.line;
            }
            scanner.skipToken();
        }
        if (start >= 0) {
            statements.add(new Statement(statements.size() + 1, startLine, script.substring(start).strip()));
        }
        return List.copyOf(statements);
    }

    /**
     * Counts the statements in {@code sql} (used to refuse multi-statement SQL the way the Data API does: one
     * trailing {@code ;} is allowed, two statements are not).
     */
    public static int countStatements(String sql) {
        return split(sql).size();
    }

    /** A cursor over the script that knows PostgreSQL's lexical structure well enough to find statement ends. */
    static final class Scanner {
        private final String s;
        int pos;
        int line = 1;

        Scanner(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        char peek() {
            return s.charAt(pos);
        }

        private char at(int i) {
            return i < s.length() ? s.charAt(i) : '\0';
        }

        void advance(int n) {
            for (int i = 0; i < n && pos < s.length(); i++) {
                if (s.charAt(pos) == '\n') {
                    line++;
                }
                pos++;
            }
        }

        /** Skips a comment at the cursor, if there is one. */
        boolean skipComment() {
            char c = peek();
            if (c == '-' && at(pos + 1) == '-') {
                while (!atEnd() && peek() != '\n') {
                    advance(1);
                }
                return true;
            }
            if (c == '/' && at(pos + 1) == '*') {
                advance(2);
                int depth = 1;
                while (!atEnd() && depth > 0) {
                    if (peek() == '/' && at(pos + 1) == '*') {
                        depth++;
                        advance(2);
                    } else if (peek() == '*' && at(pos + 1) == '/') {
                        depth--;
                        advance(2);
                    } else {
                        advance(1);
                    }
                }
                return true;
            }
            return false;
        }

        /** Skips one token that is not whitespace, a comment or {@code ;}: a quoted construct or one character. */
        void skipToken() {
            char c = peek();
            if (c == '\'') {
                boolean escapes = isEscapeStringPrefix(pos - 1);
                skipQuoted('\'', escapes);
            } else if (c == '"') {
                skipQuoted('"', false);
            } else if (c == '$') {
                String tag = dollarTagAt(pos);
                if (tag == null) {
                    advance(1);
                } else {
                    advance(tag.length());
                    int end = s.indexOf(tag, pos);
                    advance(end < 0 ? s.length() - pos : end - pos + tag.length());
                }
            } else {
                advance(1);
            }
        }

        private void skipQuoted(char quote, boolean backslashEscapes) {
            advance(1);
            while (!atEnd()) {
                char c = peek();
                if (backslashEscapes && c == '\\') {
                    advance(2);
                } else if (c == quote) {
                    if (at(pos + 1) == quote) {
                        advance(2);
                    } else {
                        advance(1);
                        return;
                    }
                } else {
                    advance(1);
                }
            }
        }

        /** True if the character at {@code i} is an {@code E} that makes the following quote an escape string. */
        private boolean isEscapeStringPrefix(int i) {
            if (i < 0 || (s.charAt(i) != 'E' && s.charAt(i) != 'e')) {
                return false;
            }
            return i == 0 || !isIdentifierPart(s.charAt(i - 1));
        }

        /** The dollar-quote tag ({@code $$} or {@code $name$}) starting at {@code i}, or null if there is none. */
        String dollarTagAt(int i) {
            if (i > 0 && isIdentifierPart(s.charAt(i - 1))) {
                return null; // part of an identifier such as a$b
            }
            int j = i + 1;
            if (j < s.length() && s.charAt(j) == '$') {
                return "$$";
            }
            if (j >= s.length() || !isIdentifierStart(s.charAt(j))) {
                return null; // $1 is a positional parameter, not a quote
            }
            while (j < s.length() && isIdentifierPart(s.charAt(j))) {
                j++;
            }
            return j < s.length() && s.charAt(j) == '$' ? s.substring(i, j + 1) : null;
        }

        static boolean isIdentifierStart(char c) {
            return Character.isLetter(c) || c == '_' || c > 127;
        }

        static boolean isIdentifierPart(char c) {
            return isIdentifierStart(c) || Character.isDigit(c) || c == '$';
        }
    }
}
