package org.countersign.portal.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.List;
import org.countersign.portal.domain.PendingApproval;
import org.junit.jupiter.api.Test;

/** Pending approvals: read from the push-service's listing, shown in words, and what the page polls for. */
class ApprovalRowsTest {

    /** As Quarkus configures it for the REST clients: unknown properties are ignored, times are ISO 8601. */
    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    @Test
    void pushServiceListing_read_andShownInWords() throws Exception {
        // One item of GET /api/v1/push/requests?userId=&status=pending, as push-service/README.md documents it.
        String listing = "[{\"requestId\":\"7d1c\",\"status\":\"pending\",\"createdAt\":\"2026-12-06T10:15:00.123Z\","
                + "\"expiresAt\":\"2026-12-06T10:17:00Z\",\"dataHash\":\"abc\",\"displayNumber\":42,"
                + "\"message\":\"Pay 120.00 EUR\",\"fields\":[{\"name\":\"Payee\",\"value\":\"Zoë's Café\"}]},"
                + "{\"requestId\":\"9e2f\",\"status\":\"pending\",\"createdAt\":\"2026-12-06T10:14:00Z\","
                + "\"expiresAt\":\"2026-12-06T10:16:00Z\",\"dataHash\":\"def\",\"message\":\"Sign in\",\"fields\":[]}]";
        List<PendingApproval> approvals = List.of(JSON.readValue(listing, PendingApproval[].class));

        Rows.ApprovalRow payment = Rows.ApprovalRow.of(approvals.get(0));
        assertEquals("approval-7d1c", payment.id());
        assertEquals("Pay 120.00 EUR", payment.message());
        assertEquals(List.of(new PendingApproval.Field("Payee", "Zoë's Café")), payment.fields());
        assertEquals("42", payment.number());
        assertEquals("6 Dec 2026, 10:17 UTC", payment.expires().text());
        assertEquals("2026-12-06T10:17:00Z", payment.expires().iso());

        Rows.ApprovalRow signIn = Rows.ApprovalRow.of(approvals.get(1));
        assertNull(signIn.number(), "no number without number matching");
        assertEquals(List.of(), signIn.fields());
    }

    @Test
    void missingFields_anEmptyList() {
        Rows.ApprovalRow row = Rows.ApprovalRow.of(new PendingApproval("a1", "Sign in", null, 17, Instant.EPOCH));
        assertEquals(List.of(), row.fields());
        assertEquals("17", row.number());
    }

    @Test
    void pollState_changesWhenARequestComesOrGoes_only() {
        PendingApproval a = new PendingApproval("a1", "Sign in", List.of(), 17, Instant.EPOCH);
        PendingApproval b = new PendingApproval("b2", "Pay", List.of(), 42, Instant.EPOCH);
        PendingApproval bLater = new PendingApproval("b2", "Pay", List.of(), 42, Instant.EPOCH.plusSeconds(60));
        assertEquals("none", Rows.ApprovalRow.stateOf(List.of()));
        assertTrue(Rows.ApprovalRow.stateOf(List.of(b, a)).matches("[0-9a-f]{24}"), "safe in JSON and an attribute");
        assertNotEquals(Rows.ApprovalRow.stateOf(List.of(b, a)), Rows.ApprovalRow.stateOf(List.of(b)));
        assertNotEquals(Rows.ApprovalRow.stateOf(List.of(b, a)), Rows.ApprovalRow.stateOf(List.of(a)));
        assertNotEquals(Rows.ApprovalRow.stateOf(List.of()), Rows.ApprovalRow.stateOf(List.of(a)));
        assertEquals(Rows.ApprovalRow.stateOf(List.of(b)), Rows.ApprovalRow.stateOf(List.of(bLater)), "the same request: no reload");
    }
}
