package org.countersign.push.client;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/** Reads the PKCS#8 PEM private keys that Google (service accounts) and Apple (.p8 files) hand out. */
final class PemKeys {

    private PemKeys() {
    }

    /**
     * @param algorithm RSA (FCM service accounts) or EC (APNs keys)
     * @throws IllegalArgumentException naming what is wrong, never quoting the key
     */
    static PrivateKey pkcs8(String pem, String algorithm, String what) {
        if (pem == null || !pem.contains("-----BEGIN PRIVATE KEY-----") || !pem.contains("-----END PRIVATE KEY-----")) {
            throw new IllegalArgumentException(what + " is not a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----)");
        }
        String body = pem.substring(pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27, pem.indexOf("-----END PRIVATE KEY-----"))
                .replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not valid base64 inside its PEM armour");
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(what + " is not a " + algorithm + " private key");
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }
}
