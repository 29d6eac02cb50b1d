package org.countersign.registration.service;

import static org.countersign.registration.service.PskcXml.PSKC;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.countersign.registration.domain.PskcCredentials;
import org.countersign.registration.domain.PskcImport;
import org.countersign.registration.domain.PskcToken;
import org.countersign.registration.service.PskcException.Reason;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Reads a PSKC document (RFC 6030) into tokens, all or nothing: the first key that cannot be read,
 * authenticated or decrypted refuses the whole document, and the secrets read so far are wiped.
 * Plain Java and stateless, so one instance can serve every request. XML signatures (RFC 6030
 * section 7) are not verified: trust in a document comes from the authenticated upload and, for
 * encrypted keys, from their MACs.
 */
public final class PskcParser {

    public static final int DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
    public static final int DEFAULT_MAX_KEYS = 10_000;

    private final int maxBytes;
    private final int maxKeys;

    public PskcParser() {
        this(DEFAULT_MAX_BYTES, DEFAULT_MAX_KEYS);
    }

    public PskcParser(int maxBytes, int maxKeys) {
        if (maxBytes < 1 || maxKeys < 1) {
            throw new IllegalArgumentException("Limits are positive");
        }
        this.maxBytes = maxBytes;
        this.maxKeys = maxKeys;
    }

    /**
     * @param xml the document, as received
     * @param credentials what unlocks encrypted keys; {@link PskcCredentials#none()} for plain ones.
     *     They stay the caller's to {@link PskcCredentials#destroy() destroy}.
     * @throws PskcException for every document that cannot be imported whole
     */
    public PskcImport parse(byte[] xml, PskcCredentials credentials) {
        Objects.requireNonNull(xml, "xml");
        Objects.requireNonNull(credentials, "credentials");
        if (xml.length > maxBytes) {
            throw new PskcException(Reason.TOO_LARGE, "The document is larger than " + maxBytes + " bytes");
        }
        if (xml.length == 0) {
            throw PskcXml.malformed("The document is empty");
        }
        Element container = container(PskcXml.parse(xml));
        List<Element[]> keys = keys(container);
        boolean encrypted = container.getElementsByTagNameNS(PSKC, "EncryptedValue").getLength() > 0;

        List<PskcToken> tokens = new ArrayList<>();
        int pinKeys = 0;
        try (PskcEncryption encryption = encrypted ? PskcEncryption.from(container, credentials) : null) {
            for (int i = 0; i < keys.size(); i++) {
                Optional<PskcToken> token = PskcKeyReader.read(keys.get(i)[0], keys.get(i)[1], i + 1, encryption);
                if (token.isPresent()) {
                    tokens.add(token.get());
                } else {
                    pinKeys++;
                }
            }
            if (tokens.isEmpty()) {
                throw new PskcException(Reason.NO_KEYS, "The document holds no HOTP, TOTP or OCRA key");
            }
            refuseOverlappingSerials(tokens);
            return new PskcImport(tokens, pinKeys);
        } catch (RuntimeException e) {
            tokens.forEach(t -> t.secret().destroy());
            throw e;
        }
    }

    private static Element container(Document document) {
        Element root = document.getDocumentElement();
        if (!PskcXml.is(root, PSKC, "KeyContainer")) {
            throw new PskcException(Reason.UNSUPPORTED_FORMAT,
                    "The document is not an RFC 6030 KeyContainer in the namespace " + PSKC);
        }
        if (!"1.0".equals(root.getAttribute("Version"))) {
            throw new PskcException(Reason.UNSUPPORTED_FORMAT, "Only PSKC version 1.0 (RFC 6030) is supported");
        }
        return root;
    }

    /** Pairs of KeyPackage and Key, counted before any key is read so a huge batch costs no crypto. */
    private List<Element[]> keys(Element container) {
        List<Element[]> keys = new ArrayList<>();
        for (Element keyPackage : PskcXml.children(container, PSKC, "KeyPackage")) {
            Optional<Element> key = PskcXml.child(keyPackage, PSKC, "Key");
            if (key.isPresent()) {
                if (keys.size() == maxKeys) {
                    throw new PskcException(Reason.TOO_LARGE, "The document holds more than " + maxKeys + " keys");
                }
                keys.add(new Element[] {keyPackage, key.get()});
            }
        }
        if (keys.isEmpty()) {
            throw new PskcException(Reason.NO_KEYS, "The document holds no keys");
        }
        return keys;
    }

    /**
     * A serial number names one licence, so at any instant it may carry one key. RFC 6030 Figure 10
     * gives one device several keys for disjoint periods (Policy StartDate and ExpiryDate), which is
     * fine; two keys whose periods overlap (or that have none) leave the seed ambiguous.
     */
    private static void refuseOverlappingSerials(List<PskcToken> tokens) {
        Map<String, List<PskcToken>> bySerial = new LinkedHashMap<>();
        for (PskcToken token : tokens) {
            token.serialNumber().ifPresent(s -> bySerial.computeIfAbsent(s, k -> new ArrayList<>()).add(token));
        }
        for (Map.Entry<String, List<PskcToken>> entry : bySerial.entrySet()) {
            List<PskcToken> sameSerial = new ArrayList<>(entry.getValue());
            sameSerial.sort(Comparator.comparing(t -> t.validFrom().orElse(Instant.MIN)));
            for (int i = 1; i < sameSerial.size(); i++) {
                if (sameSerial.get(i - 1).validityOverlaps(sameSerial.get(i))) {
                    throw new PskcException(Reason.DUPLICATE_SERIAL, "Serial number " + entry.getKey()
                            + " carries more than one key for the same period");
                }
            }
        }
    }
}
