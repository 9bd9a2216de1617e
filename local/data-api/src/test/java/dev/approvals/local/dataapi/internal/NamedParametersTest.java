package dev.approvals.local.dataapi.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;

class NamedParametersTest {

    private static NamedParameters.Rewritten rewrite(String sql, String... supplied) {
        return NamedParameters.parse(sql).rewrite(Set.of(supplied));
    }

    @Test
    void rewrite_placeholders_shouldBecomeQuestionMarksInOrder() {
        NamedParameters.Rewritten r = rewrite("UPDATE t SET a = :a WHERE id = :id AND v = :a", "a", "id");
        assertThat(r.sql()).isEqualTo("UPDATE t SET a = ? WHERE id = ? AND v = ?");
        assertThat(r.bindOrder()).containsExactly("a", "id", "a");
        assertThat(r.names()).containsExactly("a", "id");
    }

    @Test
    void rewrite_castsStringsIdentifiersAndComments_shouldBeLeftAlone() {
        NamedParameters.Rewritten r = rewrite(
                "SELECT :x::int, ':y', \"z:w\", 'it''s :q' -- :c\n, /* :d /* :e */ */ E'\\' :f' FROM t", "x");
        assertThat(r.sql()).isEqualTo(
                "SELECT ?::int, ':y', \"z:w\", 'it''s :q' -- :c\n, /* :d /* :e */ */ E'\\' $2' FROM t");
        // the service's scanner does not know E'' strings: ":f" after \' counts; PgJDBC sees it inside the string
        assertThat(r.names()).containsExactly("x", "f");
        assertThat(r.bindOrder()).containsExactly("x");
    }

    @Test
    void rewrite_insideDollarQuotes_shouldReproduceTheServicesLiteralDollarN() {
        NamedParameters.Rewritten r = rewrite("SELECT :first, $$a :b c$$, $tag$ :first $tag$", "first", "b");
        assertThat(r.sql()).isEqualTo("SELECT ?, $$a $2 c$$, $tag$ $1 $tag$");
        assertThat(r.bindOrder()).containsExactly("first");
    }

    @Test
    void rewrite_unsuppliedNamesAndSlices_shouldBecomePositionalDollarN() {
        assertThat(rewrite("SELECT a[1:2] FROM t").sql()).isEqualTo("SELECT a[1$1] FROM t");
        assertThat(rewrite("SELECT :missing").sql()).isEqualTo("SELECT $1");
    }

    @Test
    void rewrite_literalQuestionMarks_shouldBeEscapedOnlyInPlainSql() {
        assertThat(rewrite("SELECT j ? 'k', '?', $$?$$ /* ? */ FROM t WHERE id = :id", "id").sql())
                .isEqualTo("SELECT j ?? 'k', '?', $$?$$ /* ? */ FROM t WHERE id = ?");
    }

    @Test
    void rewrite_assignmentAndPositionalDollars_shouldNotBeTouched() {
        assertThat(rewrite("SELECT x := 1, $1, a$b").sql()).isEqualTo("SELECT x := 1, $1, a$b");
    }
}
