package io.visca.gateway.router.usage;

import io.visca.gateway.contracts.event.UsageRecorded;

/** A {@link FinishedRequest} as the {@code usage-recorded} event. */
final class UsageEvents {

    private UsageEvents() {
    }

    static UsageRecorded of(FinishedRequest r) {
        Pricing.Cost cost = r.cost();
        return new UsageRecorded(UsageRecorded.SCHEMA_VERSION, r.eventId(), r.occurredAt(), r.requestId(),
                r.apiKeyId(), r.requestedModel(), r.servedModel(), r.provider(), r.endpoint(), r.strategy(),
                r.attempts(), r.status(), r.httpStatus(), r.errorType(), r.stream(), r.promptTokens(),
                r.completionTokens(), r.cachedTokens(), r.tokensEstimated(), cost == null ? null : cost.input(),
                cost == null ? null : cost.output(), cost == null ? null : cost.total(), r.reportedCost(),
                Math.round(r.latencyMs()),
                r.timeToFirstTokenMs() == null ? null : Math.round(r.timeToFirstTokenMs()), r.operation(),
                r.upstreamModel(), r.errorCode(), r.attemptLog(), r.team(), r.budgetLeases());
    }
}
