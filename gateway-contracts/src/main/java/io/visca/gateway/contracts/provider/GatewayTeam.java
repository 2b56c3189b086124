package io.visca.gateway.contracts.provider;

/**
 * A team as the router sees it: limits counted across all its keys (a request must fit its key's and its team's).
 */
public record GatewayTeam(String name, KeyLimits limits) {

    public GatewayTeam {
        limits = limits == null ? KeyLimits.NONE : limits;
    }
}
