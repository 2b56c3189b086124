package io.visca.gateway.kit.admin.security;

/**
 * {@link BearerRealms} of a service whose every resource opens with the same tokens (billing, the health monitor): its
 * bean ({@code @Singleton}: a client proxy would need a no-args constructor) extends this with the realm built from
 * its own settings.
 */
public abstract class SingleRealm implements BearerRealms {

    private final Realm realm;
    private final TokenThrottleConfig throttle;

    protected SingleRealm(Realm realm, TokenThrottleConfig throttle) {
        this.realm = realm;
        this.throttle = throttle;
    }

    @Override
    public Realm realmOf(Class<?> resourceClass) {
        return realm;
    }

    @Override
    public TokenThrottleConfig throttle() {
        return throttle;
    }
}
