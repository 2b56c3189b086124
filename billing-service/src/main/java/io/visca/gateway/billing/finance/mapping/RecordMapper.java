package io.visca.gateway.billing.finance.mapping;

import io.visca.gateway.billing.ledger.UsageRecordEntity;

/** Stored rows to what the API shows. */
public final class RecordMapper {

    private RecordMapper() {
    }

    public static RecordView toApiModel(UsageRecordEntity e) {
        return new RecordView(e.eventId, e.requestId, e.occurredAt, e.apiKeyId, e.provider, e.endpoint,
                e.requestedModel, e.servedModel, e.upstreamModel, e.operation, e.strategy, e.status, e.httpStatus,
                e.errorType, e.errorCode, e.stream, e.attempts, e.promptTokens, e.completionTokens, e.cachedTokens,
                e.promptTokens + e.completionTokens, e.tokensEstimated, Money.format(e.inputCost),
                Money.format(e.outputCost), Money.format(e.totalCost), Money.format(e.reportedCost), e.latencyMs,
                e.timeToFirstTokenMs, e.attemptLog, e.team, e.budgetLeases == null ? "[]" : e.budgetLeases);
    }
}
