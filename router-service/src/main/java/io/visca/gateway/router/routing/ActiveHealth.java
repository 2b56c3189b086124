package io.visca.gateway.router.routing;

/**
 * The health monitor's latest verdict on one endpoint ({@code provider-health-changed}); an endpoint it never reported
 * on counts as up.
 */
public final class ActiveHealth {

    private volatile boolean down;
    private volatile String reason;

    public boolean down() {
        return down;
    }

    public String reason() {
        return reason;
    }

    void set(boolean isDown, String why) {
        this.reason = why;
        this.down = isDown;
    }
}
