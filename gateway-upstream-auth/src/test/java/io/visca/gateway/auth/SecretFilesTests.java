package io.visca.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets from a directory of files named by the reference, as Kubernetes and Docker mount them. */
class SecretFilesTests {

    @TempDir
    Path dir;

    private SecretResolver resolver(SecretFiles files, Map<String, String> environment) {
        return new SecretResolver(SecretPolicy.defaults(), files, environment == null ? null : environment::get,
                List.of("svc-token-0123456789"));
    }

    @Test
    void readsAReferenceFromTheFileOfThatNameWithoutTheTrailingLineBreak() throws IOException {
        Files.writeString(dir.resolve("OPENAI_API_KEY"), "sk-from-file\n");
        Files.writeString(dir.resolve("CORP_CLIENT_SECRET"), "s3cret\r\n");
        SecretResolver secrets = resolver(SecretFiles.read(dir, SecretPolicy.defaults()), null);

        assertEquals("sk-from-file", secrets.resolve("auth.api_key", "${OPENAI_API_KEY}"));
        assertEquals("s3cret", secrets.resolve("auth.client_secret", "${CORP_CLIENT_SECRET}"));
    }

    @Test
    void aFileComesBeforeTheEnvironmentWhichFillsTheRest() throws IOException {
        Files.writeString(dir.resolve("OPENAI_API_KEY"), "sk-from-file");
        SecretResolver secrets = resolver(SecretFiles.read(dir, SecretPolicy.defaults()),
                Map.of("OPENAI_API_KEY", "sk-from-env", "TGI_TOKEN", "hf-from-env"));

        assertEquals("sk-from-file", secrets.resolve("auth.api_key", "${OPENAI_API_KEY}"));
        assertEquals("hf-from-env", secrets.resolve("auth.api_key", "${TGI_TOKEN}"));
    }

    @Test
    void withTheEnvironmentOffOnlyFilesResolve() throws IOException {
        Files.writeString(dir.resolve("OPENAI_API_KEY"), "sk-from-file");
        SecretResolver secrets = resolver(SecretFiles.read(dir, SecretPolicy.defaults()), null);

        MissingSecretException missing = assertThrows(MissingSecretException.class,
                () -> secrets.resolve("auth.api_key", "${TGI_TOKEN}"));
        assertEquals("auth.api_key references ${TGI_TOKEN}, but secret file TGI_TOKEN is not in GATEWAY_SECRETS_DIR "
                + "(environment variables are not read)", missing.getMessage());
        assertEquals("auth.api_key references ${TGI_TOKEN}, but neither secret file TGI_TOKEN (GATEWAY_SECRETS_DIR) "
                + "nor environment variable TGI_TOKEN is set",
                assertThrows(MissingSecretException.class,
                        () -> resolver(SecretFiles.read(dir, SecretPolicy.defaults()), Map.of())
                                .resolve("auth.api_key", "${TGI_TOKEN}"))
                        .getMessage());
    }

    @Test
    void filesAreUnderTheSameRulesAsTheEnvironment() throws IOException {
        Files.writeString(dir.resolve("GATEWAY_SERVICE_TOKEN"), "svc-token-0123456789");
        Files.writeString(dir.resolve("ALIAS_API_KEY"), "svc-token-0123456789\n");
        Files.writeString(dir.resolve("TENANT"), "acme");
        SecretFiles files = SecretFiles.read(dir, SecretPolicy.defaults());
        SecretResolver secrets = resolver(files, null);

        assertNull(files.get("GATEWAY_SERVICE_TOKEN"), "a reserved name is not even read");
        assertNull(files.get("TENANT"), "nor a name outside the allow pattern");
        assertEquals(ForbiddenSecretException.Rule.RESERVED_NAME, assertThrows(ForbiddenSecretException.class,
                () -> secrets.resolve("auth.api_key", "${GATEWAY_SERVICE_TOKEN}")).rule());
        assertEquals(ForbiddenSecretException.Rule.NOT_ALLOWED, assertThrows(ForbiddenSecretException.class,
                () -> secrets.resolve("auth.api_key", "${TENANT}")).rule());
        assertEquals(ForbiddenSecretException.Rule.SERVICE_CREDENTIAL, assertThrows(ForbiddenSecretException.class,
                () -> secrets.resolve("auth.api_key", "${ALIAS_API_KEY}")).rule());
    }

    @Test
    void ignoresFilesThatNoReferenceCanNameAndOversizedOnes() throws IOException {
        Files.writeString(dir.resolve("openai-api-key"), "dashed");
        Files.writeString(dir.resolve("OPENAI.API_KEY"), "dotted");
        Files.createDirectory(dir.resolve("NESTED_API_KEY"));
        Files.writeString(dir.resolve("HUGE_API_KEY"), "x".repeat(SecretFiles.MAX_BYTES + 1));
        Files.writeString(dir.resolve("EMPTY_API_KEY"), "\n");
        SecretFiles files = SecretFiles.read(dir, SecretPolicy.allowing(".*"));

        for (String name : List.of("openai-api-key", "OPENAI.API_KEY", "NESTED_API_KEY", "HUGE_API_KEY",
                "EMPTY_API_KEY")) {
            assertNull(files.get(name), name);
        }
    }

    @Test
    void refreshSeesAChangedANewAndARemovedFile() throws IOException {
        Files.writeString(dir.resolve("OPENAI_API_KEY"), "sk-old");
        Files.writeString(dir.resolve("LEGACY_PASSWORD"), "old-password");
        SecretFiles files = SecretFiles.read(dir, SecretPolicy.defaults());
        SecretResolver secrets = resolver(files, null);
        assertEquals("sk-old", secrets.resolve("auth.api_key", "${OPENAI_API_KEY}"));

        Files.writeString(dir.resolve("OPENAI_API_KEY"), "sk-rotated");
        Files.writeString(dir.resolve("TGI_TOKEN"), "hf-new");
        Files.delete(dir.resolve("LEGACY_PASSWORD"));
        assertEquals("sk-old", secrets.resolve("auth.api_key", "${OPENAI_API_KEY}"), "lookups read memory only");

        files.refresh();
        assertEquals("sk-rotated", secrets.resolve("auth.api_key", "${OPENAI_API_KEY}"));
        assertEquals("hf-new", secrets.resolve("auth.api_key", "${TGI_TOKEN}"));
        assertThrows(MissingSecretException.class, () -> secrets.resolve("auth.password", "${LEGACY_PASSWORD}"));
    }

    @Test
    void aWatchedDirectoryIsReadAgainOnItsOwnThreadAsKubernetesRotatesIt() throws Exception {
        // Kubernetes: NAME -> ..data/NAME, ..data -> ..<timestamp>/; a rotation swaps the ..data link
        Path first = Files.createDirectory(dir.resolve("..2024_01_01"));
        Files.writeString(first.resolve("OPENAI_API_KEY"), "sk-first\n");
        Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
        Files.createSymbolicLink(dir.resolve("OPENAI_API_KEY"), Path.of("..data", "OPENAI_API_KEY"));

        try (SecretFiles files = SecretFiles.watch(dir, SecretPolicy.defaults(), Duration.ofMillis(50))) {
            assertEquals("sk-first", files.get("OPENAI_API_KEY"), "read before watch returns");

            Path second = Files.createDirectory(dir.resolve("..2024_02_01"));
            Files.writeString(second.resolve("OPENAI_API_KEY"), "sk-second\n");
            Path link = Files.createSymbolicLink(dir.resolve("..data_tmp"), second.getFileName());
            Files.move(link, dir.resolve("..data"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!"sk-second".equals(files.get("OPENAI_API_KEY")) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals("sk-second", files.get("OPENAI_API_KEY"));
        }
    }

    @Test
    void aDirectoryThatIsNotThereYetIsReadOnceItIs() throws IOException {
        Path later = dir.resolve("mounted-later");
        SecretFiles files = SecretFiles.read(later, SecretPolicy.defaults());
        assertNull(files.get("OPENAI_API_KEY"));

        Files.createDirectory(later);
        Files.writeString(later.resolve("OPENAI_API_KEY"), "sk-late");
        files.refresh();
        assertEquals("sk-late", files.get("OPENAI_API_KEY"));
    }

    @Test
    void stripsOnlyTrailingLineBreaks() {
        assertEquals(" a b ", SecretFiles.stripLineBreaks(" a b \r\n\n"));
        assertEquals("a\nb", SecretFiles.stripLineBreaks("a\nb\n"));
        assertTrue(SecretFiles.stripLineBreaks("\n").isEmpty());
    }
}
