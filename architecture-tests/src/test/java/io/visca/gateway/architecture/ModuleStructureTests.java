package io.visca.gateway.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The structure the modules keep, over the compiled main classes of every module: the four services never use one
 * another's classes (they talk over REST and Kafka, sharing only {@code gateway-contracts} and the shared modules),
 * the shared modules never use a service, and no two packages anywhere depend on each other in a cycle.
 */
class ModuleStructureTests {

    /** The four services' root packages. */
    private static final List<String> SERVICES = List.of("router", "registry", "health", "billing");

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.visca.gateway");

    private static String root(String service) {
        return "io.visca.gateway." + service + "..";
    }

    @Test
    void everyServiceIsRead() {
        for (String service : SERVICES) {
            assertTrue(MAIN.stream().anyMatch(c -> c.getPackageName().startsWith("io.visca.gateway." + service + ".")),
                    "no class of " + service + " was imported: the rules below would pass on nothing");
        }
    }

    @Test
    void noServiceUsesAnothersClasses() {
        for (String service : SERVICES) {
            String[] others = SERVICES.stream().filter(s -> !s.equals(service)).map(ModuleStructureTests::root)
                    .toArray(String[]::new);
            noClasses().that().resideInAPackage(root(service)).should().dependOnClassesThat()
                    .resideInAnyPackage(others)
                    .because("services talk over REST and Kafka and share only the shared modules")
                    .check(MAIN);
        }
    }

    @Test
    void sharedModulesUseNoService() {
        String[] services = SERVICES.stream().map(ModuleStructureTests::root).toArray(String[]::new);
        noClasses().that().resideOutsideOfPackages(services).should().dependOnClassesThat()
                .resideInAnyPackage(services)
                .because("a shared module serves every service and knows none of them")
                .check(MAIN);
    }

    @Test
    void noPackageCycles() {
        // the health monitor's and the registry's own cycles are being taken apart (issue 16): checked once they are
        JavaClasses checked = MAIN;
        slices().matching("io.visca.gateway.(**)").should().beFreeOfCycles().check(checked);
    }

    @Test
    void routerAdaptersSitBelowTheRequestPath() {
        noClasses().that().resideInAPackage("io.visca.gateway.router.adapter..").should().dependOnClassesThat()
                .resideInAnyPackage("io.visca.gateway.router.proxy..", "io.visca.gateway.router.routing..",
                        "io.visca.gateway.router.registry..", "io.visca.gateway.router.usage..")
                .because("adapters translate one call; routing and the request path use them, never the reverse")
                .check(MAIN);
        noClasses().that().resideInAnyPackage(Arrays.stream(new String[] { "error", "config", "upstream" })
                .map(p -> "io.visca.gateway.router." + p + "..").toArray(String[]::new))
                .should().dependOnClassesThat().resideInAnyPackage("io.visca.gateway.router.adapter..",
                        "io.visca.gateway.router.routing..", "io.visca.gateway.router.proxy..")
                .because("errors, settings and the upstream HTTP client are the router's bottom layer")
                .check(MAIN);
    }
}
