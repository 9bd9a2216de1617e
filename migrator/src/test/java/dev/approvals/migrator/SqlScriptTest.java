package dev.approvals.migrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class SqlScriptTest {

    private static List<String> sqlOf(String script) {
        return SqlScript.split(script).stream().map(SqlScript.Statement::sql).toList();
    }

    @Test
    void split_plainStatements_shouldSplitOnSemicolonsAndDropTheSemicolon() {
        assertThat(sqlOf("CREATE TABLE a (x int);\nCREATE TABLE b (y int);\n"))
                .containsExactly("CREATE TABLE a (x int)", "CREATE TABLE b (y int)");
    }

    @Test
    void split_lastStatementWithoutSemicolon_shouldStillBeAStatement() {
        assertThat(sqlOf("SELECT 1; SELECT 2")).containsExactly("SELECT 1", "SELECT 2");
    }

    @Test
    void split_semicolonsInsideStringsIdentifiersAndComments_shouldNotSplit() {
        String script = """
                INSERT INTO t VALUES ('a;b', 'it''s; fine');
                SELECT "weird;name" FROM t; -- trailing; comment
                /* block; comment /* nested; */ still comment; */ SELECT 3;
                """;
        assertThat(sqlOf(script)).containsExactly(
                "INSERT INTO t VALUES ('a;b', 'it''s; fine')",
                "SELECT \"weird;name\" FROM t",
                "SELECT 3");
    }

    @Test
    void split_escapeStringWithBackslashQuote_shouldNotEndTheString() {
        assertThat(sqlOf("SELECT E'it\\'s; here'; SELECT 2"))
                .containsExactly("SELECT E'it\\'s; here'", "SELECT 2");
    }

    @Test
    void split_backslashInStandardString_shouldNotEscape() {
        // standard_conforming_strings: 'a\' is a complete string
        assertThat(sqlOf("SELECT 'a\\'; SELECT 2")).containsExactly("SELECT 'a\\'", "SELECT 2");
    }

    @Test
    void split_dollarQuotedBodies_shouldKeepInnerSemicolons() {
        String script = """
                CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$
                BEGIN
                  PERFORM 1; RETURN 2;
                END $$;
                CREATE FUNCTION g() RETURNS text LANGUAGE sql AS $body$ SELECT 'x;$$;y' $body$;
                SELECT 3;
                """;
        List<String> statements = sqlOf(script);
        assertThat(statements).hasSize(3);
        assertThat(statements.get(0)).startsWith("CREATE FUNCTION f()").endsWith("END $$");
        assertThat(statements.get(1)).endsWith("$body$ SELECT 'x;$$;y' $body$");
        assertThat(statements.get(2)).isEqualTo("SELECT 3");
    }

    @Test
    void split_positionalParameterAndDollarInIdentifier_shouldNotStartADollarQuote() {
        assertThat(sqlOf("SELECT $1, a$b; SELECT 2")).containsExactly("SELECT $1, a$b", "SELECT 2");
    }

    @Test
    void split_commentOnlyAndEmptyStatements_shouldBeDropped() {
        assertThat(sqlOf("-- header\n;\n  ;; /* nothing */ ;\nSELECT 1;\n-- footer\n")).containsExactly("SELECT 1");
    }

    @Test
    void split_castsAndColons_shouldBeUntouched() {
        assertThat(sqlOf("SELECT '{}'::jsonb, a[1:2] FROM t;")).containsExactly("SELECT '{}'::jsonb, a[1:2] FROM t");
    }

    @Test
    void split_shouldReportStatementNumbersAndStartLines() {
        List<SqlScript.Statement> statements = SqlScript.split("-- intro\n\nSELECT 1;\n/* c */\nSELECT\n 2;");
        assertThat(statements).extracting(SqlScript.Statement::number).containsExactly(1, 2);
        assertThat(statements).extracting(SqlScript.Statement::line).containsExactly(3, 5);
    }

    @Test
    void split_unterminatedString_shouldKeepTheRestAsOneStatement() {
        assertThat(sqlOf("SELECT 1; SELECT 'oops; SELECT 3")).containsExactly("SELECT 1", "SELECT 'oops; SELECT 3");
    }

    @Test
    void countStatements_shouldAllowOneTrailingSemicolon() {
        assertThat(SqlScript.countStatements("SELECT 1;")).isEqualTo(1);
        assertThat(SqlScript.countStatements("SELECT 1; SELECT 2")).isEqualTo(2);
        assertThat(SqlScript.countStatements("  -- only a comment")).isZero();
    }

    @Test
    void split_theShippedV1Migration_shouldGiveItsThreeStatements() throws Exception {
        java.nio.file.Path v1 = TestPaths.migrationsDirectory().resolve("V1__approvals.sql");
        List<String> statements = sqlOf(java.nio.file.Files.readString(v1));
        assertThat(statements).hasSize(3);
        assertThat(statements.get(0)).startsWith("CREATE TABLE ai_approvals");
        assertThat(statements.get(1)).startsWith("CREATE INDEX ai_approvals_pending_expiry");
        assertThat(statements.get(2)).startsWith("CREATE TABLE ai_approval_events");
    }
}
