package io.visca.gateway.billing.finance.mapping;

import java.util.List;

/**
 * A page of {@code GET /api/usage/records}, newest first.
 *
 * @param nextCursor pass as {@code cursor} for the next page; null on the last page
 */
public record RecordsPage(List<RecordView> data, String nextCursor) {
}
