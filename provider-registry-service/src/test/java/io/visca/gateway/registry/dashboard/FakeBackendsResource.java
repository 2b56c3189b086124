package io.visca.gateway.registry.dashboard;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Starts {@link FakeBackends} for every test and points the dashboard at it; tests get it by {@link Inject}. */
public class FakeBackendsResource implements QuarkusTestResourceLifecycleManager {

    private FakeBackends fake;

    @Override
    public Map<String, String> start() {
        try {
            fake = FakeBackends.start();
        } catch (Exception e) {
            throw new IllegalStateException("the fake health monitor and billing did not start", e);
        }
        return Map.of("registry.health-monitor-url", fake.healthUrl(), "registry.billing-url", fake.billingUrl(),
                "registry.router-url", fake.routerUrl());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(fake, new TestInjector.AnnotatedAndMatchesType(Inject.class, FakeBackends.class));
    }

    @Override
    public void stop() {
        try {
            if (fake != null) {
                fake.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Marks the test field that receives the running {@link FakeBackends}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Inject {
    }

    /** Declares the resource once for the whole test run (test resources are global). */
    @QuarkusTestResource(FakeBackendsResource.class)
    public static final class Declaration {

        private Declaration() {
        }
    }
}
