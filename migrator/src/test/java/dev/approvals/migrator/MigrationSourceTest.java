package dev.approvals.migrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationSourceTest {

    @TempDir
    Path temp;

    @Test
    void of_validFileName_shouldParseVersionNameAndChecksum() {
        Migration m = Migration.of("V12__add_index.sql", "SELECT 1;\r\n");
        assertThat(m.version()).isEqualTo(12);
        assertThat(m.name()).isEqualTo("add_index");
        assertThat(m.checksum()).isEqualTo(Migration.checksumOf("SELECT 1;\n")).hasSize(64);
    }

    @Test
    void of_badFileName_shouldNameTheFileAndThePattern() {
        assertThatThrownBy(() -> Migration.of("v2_add_index.sql", "SELECT 1"))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("v2_add_index.sql")
                .hasMessageContaining("V<version>__<name>.sql");
    }

    @Test
    void fromDirectory_shouldSortNumericallyAndIgnoreOtherFiles() throws Exception {
        Files.writeString(temp.resolve("V10__ten.sql"), "SELECT 10;");
        Files.writeString(temp.resolve("V2__two.sql"), "SELECT 2;");
        Files.writeString(temp.resolve("README.md"), "not a migration");
        List<Migration> migrations = MigrationSource.fromDirectory(temp).load();
        assertThat(migrations).extracting(Migration::version).containsExactly(2L, 10L);
    }

    @Test
    void fromDirectory_duplicateVersion_shouldFail() throws Exception {
        Files.writeString(temp.resolve("V1__a.sql"), "SELECT 1;");
        Files.writeString(temp.resolve("V01__b.sql"), "SELECT 1;");
        assertThatThrownBy(() -> MigrationSource.fromDirectory(temp).load())
                .isInstanceOf(MigrationException.class).hasMessageContaining("same version 1");
    }

    @Test
    void fromDirectory_missingOrEmpty_shouldFailClearly() {
        assertThatThrownBy(() -> MigrationSource.fromDirectory(temp.resolve("nope")).load())
                .isInstanceOf(MigrationException.class).hasMessageContaining("No migrations found");
        assertThatThrownBy(() -> MigrationSource.fromDirectory(temp).load())
                .isInstanceOf(MigrationException.class).hasMessageContaining("No migrations found");
    }

    @Test
    void fromClasspath_insideAJar_shouldListTheEntries() throws Exception {
        Path jar = temp.resolve("lambda.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            // jar, maven-jar-plugin, shade and assembly all write directory entries; listing relies on them
            put(out, "db/", null);
            put(out, "db/migrations/", null);
            put(out, "db/migrations/V1__first.sql", "SELECT 1;");
            put(out, "db/migrations/V3__third.sql", "SELECT 3;");
            put(out, "db/migrations/nested/V9__ignored.sql", "SELECT 9;");
            put(out, "db/other/V2__elsewhere.sql", "SELECT 2;");
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            List<Migration> migrations = MigrationSource.fromClasspath("db/migrations", loader).load();
            assertThat(migrations).extracting(Migration::fileName).containsExactly("V1__first.sql", "V3__third.sql");
            assertThat(migrations.get(1).sql()).isEqualTo("SELECT 3;");
        }
    }

    @Test
    void fromClasspath_inADirectory_shouldListTheFiles() throws Exception {
        Path root = temp.resolve("classes");
        Files.createDirectories(root.resolve("db/migrations"));
        Files.writeString(root.resolve("db/migrations/V1__first.sql"), "SELECT 1;");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, null)) {
            assertThat(MigrationSource.fromClasspath("/db/migrations/", loader).load())
                    .extracting(Migration::version).containsExactly(1L);
        }
    }

    @Test
    void fromClasspath_nothingThere_shouldFail() throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[0], null)) {
            assertThatThrownBy(() -> MigrationSource.fromClasspath("db/migrations", loader).load())
                    .isInstanceOf(MigrationException.class).hasMessageContaining("classpath:db/migrations");
        }
    }

    private static void put(JarOutputStream out, String name, String content) throws Exception {
        out.putNextEntry(new JarEntry(name));
        if (content != null) {
            OutputStream stream = out;
            stream.write(content.getBytes(StandardCharsets.UTF_8));
        }
        out.closeEntry();
    }
}
