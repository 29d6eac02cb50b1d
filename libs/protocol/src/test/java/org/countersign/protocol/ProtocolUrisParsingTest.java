package org.countersign.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.countersign.protocol.internal.Base64Url;
import org.countersign.secrets.Secret;
import org.junit.jupiter.api.Test;

/** The URI rules of protocol.md's Notation, applied by the device to activation messages 1 and 2. */
class ProtocolUrisParsingTest {

    private static final String AP = "WH7FBYYLLQWQAK2ZNRMFEPWUM3H2TC7P";
    private static final String AM1 = "countersign://activate?v=1&sn=CS1&rid=reg-1&ap=" + AP;

    @Test
    void am1_anyOrderUnknownIgnoredPlusLiteral_accepted() {
        ActivationMessage1 m = ProtocolUris.parseActivationMessage1(
                "countersign://activate?ap=" + AP + "&x-new=what%20ever&acct=a+b%2Bc&rid=reg-1&v=1&iss=Bank%20%C3%9C&sn=CS1");
        assertEquals("CS1", m.sn());
        assertEquals("reg-1", m.rid());
        assertEquals("a+b+c", m.account());
        assertEquals("Bank Ü", m.issuer());
        assertEquals(AP, Base32.encode(m.ap().reveal()));
        assertNull(ProtocolUris.parseActivationMessage1(AM1 + "&iss=").issuer());
        assertEquals("A | B", ProtocolUris.parseActivationMessage1(AM1 + "&iss=A%20%7C%20B").issuer());
    }

    @Test
    void am1_everyBrokenRule_refused() {
        String[] bad = {
            null, "", "countersign://activate?", AM1.replace("v=1", "v=2"), AM1.replace("v=1", "v=01"),
            AM1.replace("v=1&", ""), AM1 + "&v=1", AM1 + "&rid=reg-1", AM1 + "&iss=a&iss=a",
            AM1.replace("countersign://", "COUNTERSIGN://"), AM1.replace("activate", "activate2"),
            AM1.replace("sn=CS1&", ""), AM1.replace("rid=reg-1", "rid=reg%7C1"), AM1.replace("rid=reg-1", "rid="),
            AM1.replace("sn=CS1", "sn=" + "S".repeat(65)), AM1.replace("sn=CS1", "sn=CS%201"),
            AM1.replace(AP, AP.toLowerCase()), AM1.replace(AP, AP + "===="), AM1.replace(AP, AP.substring(0, 31) + "="),
            AM1.replace(AP, AP.substring(0, 24)), AM1.replace(AP, AP + "AAAAAAAA"), AM1 + "&iss=%G1", AM1 + "&iss=%4",
            AM1 + "&iss=%C3", AM1 + "&iss=a b", AM1 + "&iss=\u00dc", AM1 + "#frag", AM1 + "&", AM1 + "&flag",
            AM1.replace("&", "&&"),
        };
        for (String uri : bad) {
            MalformedMessageException e = assertThrows(MalformedMessageException.class,
                    () -> ProtocolUris.parseActivationMessage1(uri), String.valueOf(uri));
            assertFalse(e.getMessage().contains(AP), "the error echoes ap");
        }
    }

    @Test
    void am1_roundTripThroughBuilder_keepsDisplayStrings() {
        Secret ap = Secret.random(20);
        String issuer = "Ünïcødé & Co + Partners / 100% ~ *";
        ActivationMessage1 m = ProtocolUris.parseActivationMessage1(ProtocolUris.activationMessage1("SN-1", "r", ap, issuer, "x=y&z"));
        assertEquals(issuer, m.issuer());
        assertEquals("x=y&z", m.account());
    }

    @Test
    void am2_everyBrokenRule_refused() {
        String n = Base64Url.encode(new byte[12]);
        String c = Base64Url.encode(new byte[48]);
        String good = "countersign://activate2?v=1&rid=r&iid=i&sn=s&otp=totp:sha1:6:30&n=" + n + "&c=" + c;
        ActivationMessage2 parsed = ProtocolUris.parseActivationMessage2(good);
        assertEquals("totp:sha1:6:30", parsed.otp().format());
        assertEquals(ProtocolUris.parseActivationMessage2(good.replace("totp:sha1:6:30", "totp%3asha1%3A6%3A30")).otp(), parsed.otp());
        String lastC = c.substring(0, c.length() - 1);
        String[] bad = {
            good.replace("v=1", "v=2"), good.replace("iid=i&", ""), good.replace("iid=i", "iid=i%7Cj"),
            good.replace("totp:sha1:6:30", "TOTP:sha1:6:30"), good.replace("totp:sha1:6:30", "totp:sha1:6:030"),
            good.replace("totp:sha1:6:30", "totp:sha1:9:30"), good + "&n=" + n,
            good.replace("n=" + n, "n=" + n + "="), good.replace("n=" + n, "n=" + Base64Url.encode(new byte[11])),
            good.replace("c=" + c, "c=" + Base64Url.encode(new byte[47])), good.replace("c=" + c, "c=" + c.replace('A', '+')),
            good.replace("c=" + c, "c=" + lastC + "%20"), good.replace("c=" + c, "c=" + c.replace('A', '/')),
            good.replace("activate2", "activate"),
        };
        for (String uri : bad) {
            assertThrows(MalformedMessageException.class, () -> ProtocolUris.parseActivationMessage2(uri), uri);
        }
    }

    @Test
    void base64url_nonCanonicalTrailingBitsOrPadding_refused() {
        assertEquals(1, Base64Url.decode("AA").length);
        for (String text : new String[] {"AB", "AA==", "AA=", "A", "A A", "AA\n", "+A", "/A"}) {
            assertThrows(IllegalArgumentException.class, () -> Base64Url.decode(text), text);
        }
    }
}
