package org.countersign.secrets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.junit.jupiter.api.Test;

/**
 * BouncyCastle's HPKE, in the suite we seal with, against the published test vector of RFC 9180,
 * Appendix A.1.1 (DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, base mode), and its first
 * encryption (A.1.1.1, sequence number 0), the only one a {@code v2} value uses, and its exported values
 * (A.1.1.2), from which a {@code v3} value's key comes ({@link TransportSpan}).
 */
class HpkeVectorTest {

    private static final HexFormat HEX = HexFormat.of();

    private static final byte[] INFO = HEX.parseHex("4f6465206f6e2061204772656369616e2055726e");
    private static final byte[] IKM_E = HEX.parseHex("7268600d403fce431561aef583ee1613527cff655c1343f29812e66706df3234");
    private static final String PK_EM = "37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431";
    private static final byte[] IKM_R = HEX.parseHex("6db9df30aa07dd42ee5e8181afdb977e538f5e1fec8a06223f33f7013e525037");
    private static final String PK_RM = "3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d";
    private static final byte[] SK_RM = HEX.parseHex("4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8");
    private static final byte[] PT = HEX.parseHex("4265617574792069732074727574682c20747275746820626561757479");
    private static final byte[] AAD = HEX.parseHex("436f756e742d30");
    private static final String CT = "f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a";

    @Test
    void deriveKeyPair_rfc9180A11_publicKeys() {
        assertEquals(PK_RM, HEX.formatHex(Hpke.publicKey(Hpke.deriveKeyPair(IKM_R))));
        assertEquals(PK_EM, HEX.formatHex(Hpke.publicKey(Hpke.deriveKeyPair(IKM_E))));
        // BouncyCastle writes a private key clamped, so the RFC's skRm is checked by what it yields and opens.
        assertEquals(PK_RM, HEX.formatHex(Hpke.publicKey(Hpke.keyPair(SK_RM))));
    }

    @Test
    void seal_rfc9180A11_encAndCiphertext() {
        byte[] sealed = Hpke.seal(HEX.parseHex(PK_RM), INFO, AAD, PT, Hpke.deriveKeyPair(IKM_E));
        assertEquals(PK_EM + CT, HEX.formatHex(sealed));
    }

    @Test
    void open_rfc9180A11_plaintext_andNothingElseOpens() {
        AsymmetricCipherKeyPair recipient = Hpke.keyPair(SK_RM);
        byte[] sealed = HEX.parseHex(PK_EM + CT);
        assertArrayEquals(PT, Hpke.open(recipient, INFO, AAD, sealed));
        byte[] otherInfo = INFO.clone();
        otherInfo[0] ^= 1;
        assertThrows(Aead.AeadException.class, () -> Hpke.open(recipient, otherInfo, AAD, sealed));
        assertThrows(Aead.AeadException.class, () -> Hpke.open(recipient, INFO, new byte[0], sealed));
        assertThrows(Aead.AeadException.class, () -> Hpke.open(Hpke.deriveKeyPair(IKM_E), INFO, AAD, sealed));
        byte[] flipped = sealed.clone();
        flipped[flipped.length - 1] ^= 1;
        assertThrows(Aead.AeadException.class, () -> Hpke.open(recipient, INFO, AAD, flipped));
    }

    @Test
    void export_rfc9180A112_sameOnBothSides() {
        var sender = Hpke.sender(HEX.parseHex(PK_RM), INFO, Hpke.deriveKeyPair(IKM_E));
        assertEquals(PK_EM, HEX.formatHex(sender.getEncapsulation()));
        var receiver = Hpke.receiver(Hpke.keyPair(SK_RM), HEX.parseHex(PK_EM), INFO);
        String[][] exports = {
                {"", "3853fe2b4035195a573ffc53856e77058e15d9ea064de3e59f4961d0095250ee"},
                {"00", "2e8f0b54673c7029649d4eb9d5e33bf1872cf76d623ff164ac185da9e88c21a5"},
                {"54657374436f6e74657874", "e9e43065102c3836401bed8c3c3c75ae46be1639869391d62c61f1ec7af54931"}};
        for (String[] export : exports) {
            assertEquals(export[1], HEX.formatHex(sender.export(HEX.parseHex(export[0]), 32)), export[0]);
            assertEquals(export[1], HEX.formatHex(receiver.export(HEX.parseHex(export[0]), 32)), export[0]);
        }
        assertThrows(Aead.AeadException.class, () -> Hpke.receiver(Hpke.keyPair(SK_RM), new byte[31], INFO));
    }
}
