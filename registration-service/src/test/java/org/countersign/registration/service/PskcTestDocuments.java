package org.countersign.registration.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Documents for the PSKC tests: the RFC 6030 figures from the test resources, and encrypted
 * documents built here with the JDK's AES and HMAC directly (never with the parser's code), for
 * cipher and MAC variants the RFC has no example of.
 */
final class PskcTestDocuments {

    static final String RFC_SECRET_HEX = "3132333435363738393031323334353637383930";
    static final byte[] RFC_SECRET = HexFormat.of().parseHex(RFC_SECRET_HEX);

    private PskcTestDocuments() {
    }

    static String figure(int number) {
        try (InputStream in = PskcTestDocuments.class.getResourceAsStream("/pskc/rfc6030/figure" + number + ".xml")) {
            if (in == null) {
                throw new IllegalStateException("No figure " + number);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(String xml) {
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    /** IV followed by AES-CBC with PKCS#7 padding (a valid XML Encryption padding), in Base64. */
    static String encrypt(byte[] key, byte[] iv, byte[] plain) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            byte[] body = cipher.doFinal(plain);
            byte[] out = new byte[iv.length + body.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(body, 0, out, iv.length, body.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** AES-CBC without padding, for a plaintext whose last byte is not a valid padding length. */
    static String encryptRaw(byte[] key, byte[] iv, byte[] blocks) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            byte[] body = cipher.doFinal(blocks);
            byte[] out = new byte[iv.length + body.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(body, 0, out, iv.length, body.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String hmac(String jcaName, byte[] key, String base64Data) {
        try {
            Mac mac = Mac.getInstance(jcaName);
            mac.init(new SecretKeySpec(key, jcaName));
            return Base64.getEncoder().encodeToString(mac.doFinal(Base64.getDecoder().decode(base64Data)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A pre-shared-key document in the shape of RFC 6030 Figure 6, with the cipher and MAC chosen by
     * the test and the values computed here.
     */
    static String preSharedKeyDocument(String cipherUri, byte[] key, String macUri, String macJca, byte[] macKey,
            String serial, byte[] secret) {
        byte[] iv = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
        String encryptedMacKey = encrypt(key, iv, macKey);
        String encryptedSecret = encrypt(key, HexFormat.of().parseHex("0f0e0d0c0b0a09080706050403020100"), secret);
        return preSharedKeyDocument(cipherUri, macUri, encryptedMacKey, serial, encryptedSecret,
                hmac(macJca, macKey, encryptedSecret));
    }

    static String preSharedKeyDocument(String cipherUri, String macUri, String encryptedMacKey, String serial,
            String encryptedSecret, String valueMac) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <KeyContainer Version="1.0"
                    xmlns="urn:ietf:params:xml:ns:keyprov:pskc"
                    xmlns:ds="http://www.w3.org/2000/09/xmldsig#"
                    xmlns:xenc="http://www.w3.org/2001/04/xmlenc#">
                  <EncryptionKey><ds:KeyName>Pre-shared-key</ds:KeyName></EncryptionKey>
                  <MACMethod Algorithm="%2$s">
                    <MACKey>
                      <xenc:EncryptionMethod Algorithm="%1$s"/>
                      <xenc:CipherData><xenc:CipherValue>%3$s</xenc:CipherValue></xenc:CipherData>
                    </MACKey>
                  </MACMethod>
                  <KeyPackage>
                    <DeviceInfo><Manufacturer>Acme</Manufacturer><SerialNo>%4$s</SerialNo></DeviceInfo>
                    <Key Id="K-%4$s" Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:hotp">
                      <AlgorithmParameters><ResponseFormat Length="6" Encoding="DECIMAL"/></AlgorithmParameters>
                      <Data>
                        <Secret>
                          <EncryptedValue>
                            <xenc:EncryptionMethod Algorithm="%1$s"/>
                            <xenc:CipherData><xenc:CipherValue>%5$s</xenc:CipherValue></xenc:CipherData>
                          </EncryptedValue>
                          <ValueMAC>%6$s</ValueMAC>
                        </Secret>
                        <Counter><PlainValue>0</PlainValue></Counter>
                      </Data>
                    </Key>
                  </KeyPackage>
                </KeyContainer>
                """.formatted(cipherUri, macUri, encryptedMacKey, serial, encryptedSecret, valueMac);
    }

    /** A plain container around the given KeyPackage elements. */
    static String plainContainer(String keyPackages) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <KeyContainer Version="1.0" xmlns="urn:ietf:params:xml:ns:keyprov:pskc">
                %s
                </KeyContainer>
                """.formatted(keyPackages);
    }

    static String plainKeyPackage(String serial, String keyId, String algorithm, String dataExtra, String policy) {
        return """
                  <KeyPackage>
                    <DeviceInfo><Manufacturer>Acme</Manufacturer><SerialNo>%s</SerialNo></DeviceInfo>
                    <Key Id="%s" Algorithm="%s">
                      <AlgorithmParameters><ResponseFormat Length="6" Encoding="DECIMAL"/></AlgorithmParameters>
                      <Data>
                        <Secret><PlainValue>MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=</PlainValue></Secret>
                        %s
                      </Data>
                      %s
                    </Key>
                  </KeyPackage>
                """.formatted(serial, keyId, algorithm, dataExtra, policy);
    }
}
