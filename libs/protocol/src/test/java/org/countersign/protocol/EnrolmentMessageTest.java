package org.countersign.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.countersign.secrets.Secret;
import org.junit.jupiter.api.Test;

/** The enrolment URI of online activation: written by the registration service, read strictly by the device. */
class EnrolmentMessageTest {

    private static final String AP = "WH7FBYYLLQWQAK2ZNRMFEPWUM3H2TC7P";
    private static final String URI = "countersign://enroll?v=1&url=https%3A%2F%2Fcs.example.com&rid=reg-1&sn=CS1&ap=" + AP;

    @Test
    void parse_newActivation_readsEveryField() {
        EnrolmentMessage m = ProtocolUris.parseEnrolment(URI + "&iss=Example%20Bank&acct=alice%40example.com");
        assertEquals("https://cs.example.com", m.baseUrl());
        assertEquals("reg-1", m.rid());
        assertEquals("CS1", m.sn());
        assertEquals(AP, Base32.encode(m.ap().reveal()));
        assertEquals("Example Bank", m.issuer());
        assertEquals("alice@example.com", m.account());
        assertFalse(m.isMigration());
        assertNull(m.instanceId());
        assertEquals("https://cs.example.com/api/v1/online-activations", m.activationsUrl());
        assertEquals("https://cs.example.com/api/v1/online-activations/reg-1/confirm", m.confirmationUrl());
    }

    @Test
    void parse_iidPresent_isMigration() {
        EnrolmentMessage m = ProtocolUris.parseEnrolment(URI + "&iid=inst-7");
        assertTrue(m.isMigration());
        assertEquals("inst-7", m.instanceId());
        assertFalse(ProtocolUris.parseEnrolment(URI + "&iid=").isMigration());
    }

    @Test
    void parse_anyOrderRawUrlPathPortTrailingSlash_accepted() {
        EnrolmentMessage m = ProtocolUris.parseEnrolment(
                "countersign://enroll?ap=" + AP + "&sn=CS1&x-later=1&url=http://10.0.0.1:8082/cs/&rid=reg-1&v=1");
        assertEquals("http://10.0.0.1:8082/cs/", m.baseUrl());
        assertEquals("http://10.0.0.1:8082/cs/api/v1/online-activations", m.activationsUrl());
        assertEquals("https://[2001:db8::1]:8443", ProtocolUris.parseEnrolment(URI.replace("https%3A%2F%2Fcs.example.com",
                "https%3A%2F%2F%5B2001%3Adb8%3A%3A1%5D%3A8443")).baseUrl());
    }

    @Test
    void parse_everyBadUrl_refused() {
        String[] urls = {
            "", "cs.example.com", "/api", "//cs.example.com", "ftp://cs.example.com", "HTTPS://cs.example.com",
            "https:cs.example.com", "https://", "https:///path", "https://cs.example.com?x=1", "https://cs.example.com?",
            "https://cs.example.com#top", "https://user:pw@cs.example.com", "https://bank.example@evil.example",
            "https://cs.example.com:0", "https://cs.example.com:65536", "https://cs.example.com:", "https://cs example.com",
            "https://cs.exämple.com", "https://cs_example.com", "javascript:alert(1)", "https://" + "a".repeat(2048),
        };
        for (String url : urls) {
            String uri = URI.replace("https%3A%2F%2Fcs.example.com", ProtocolUris.encode(url));
            assertThrows(MalformedMessageException.class, () -> ProtocolUris.parseEnrolment(uri), url);
            assertThrows(IllegalArgumentException.class,
                    () -> ProtocolUris.enrolment(url, "reg-1", "CS1", Secret.random(20), null, null, null), url);
        }
    }

    @Test
    void parse_everyOtherBrokenRule_refused() {
        String[] bad = {
            null, URI.replace("v=1", "v=2"), URI.replace("enroll", "activate"), URI.replace("countersign:", "Countersign:"),
            URI.replace("&url=https%3A%2F%2Fcs.example.com", ""), URI.replace("rid=reg-1", "rid=reg%7C1"),
            URI.replace("sn=CS1", "sn="), URI.replace("sn=CS1", "sn=" + "S".repeat(65)), URI + "&iid=inst%7C7",
            URI + "&iid=" + "i".repeat(65), URI.replace(AP, AP.toLowerCase()), URI.replace(AP, AP.substring(0, 24)),
            URI.replace(AP, AP + "===="), URI + "&rid=reg-1", URI + "&url=https%3A%2F%2Fcs.example.com", URI + "#x",
        };
        for (String uri : bad) {
            MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> ProtocolUris.parseEnrolment(uri),
                    String.valueOf(uri));
            assertFalse(e.getMessage().contains(AP), "the error echoes ap");
        }
    }

    @Test
    void write_thenParse_givesTheSameFields() {
        Secret ap = Secret.random(20);
        String uri = ProtocolUris.enrolment("https://cs.example.com/base", "reg-9", "SN-9", ap, "Ünï & Co: 100%", "a+b=c&d", "inst-9");
        EnrolmentMessage m = ProtocolUris.parseEnrolment(uri);
        assertEquals("https://cs.example.com/base", m.baseUrl());
        assertEquals("Ünï & Co: 100%", m.issuer());
        assertEquals("a+b=c&d", m.account());
        assertEquals("inst-9", m.instanceId());
        assertTrue(ap.sameAs(m.ap()));
        assertEquals(uri, m.toUri());
    }

    @Test
    void write_theUrlsOurDeploymentsConfigure_accepted() {
        // registration-service's default and deploy/base's value of countersign.registration.provisioning-url.
        for (String url : new String[] {"http://localhost:8082", "https://provisioning.countersign.example.com"}) {
            assertEquals(url, ProtocolUris.parseEnrolment(ProtocolUris.enrolment(url, "reg-1", "SN-1", Secret.random(20), null,
                    "user@example.com", null)).baseUrl());
        }
    }

    @Test
    void write_badFields_refused() {
        assertThrows(IllegalArgumentException.class, () -> ProtocolUris.enrolment("https://x.example", "r|1", "S", Secret.random(20), null, null, null));
        assertThrows(IllegalArgumentException.class, () -> ProtocolUris.enrolment("https://x.example", "r", "S", Secret.random(16), null, null, null));
        assertThrows(IllegalArgumentException.class, () -> ProtocolUris.enrolment("https://x.example", "r", "S", Secret.random(20), null, null, "i i"));
    }
}
