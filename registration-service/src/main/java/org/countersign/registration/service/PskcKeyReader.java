package org.countersign.registration.service;

import static org.countersign.registration.service.PskcXml.PSKC;

import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import javax.xml.datatype.DatatypeConfigurationException;
import javax.xml.datatype.DatatypeConstants;
import javax.xml.datatype.DatatypeFactory;
import javax.xml.datatype.XMLGregorianCalendar;
import org.countersign.secrets.Secret;
import org.countersign.registration.domain.PskcKind;
import org.countersign.registration.domain.PskcResponseFormat;
import org.countersign.registration.domain.PskcToken;
import org.countersign.registration.service.PskcException.Reason;
import org.w3c.dom.Element;

/**
 * Reads one {@code KeyPackage} (RFC 6030 section 4) into a token. Messages name the package by its
 * position, and by its serial number once that has passed the serial-number pattern, never by any
 * other text of the document.
 */
final class PskcKeyReader {

    /** 64 bytes is an HMAC-SHA512 key; twice that leaves room without accepting megabytes. */
    static final int MAX_SECRET_BYTES = 128;

    private final Element keyPackage;
    private final Element key;
    private final PskcEncryption encryption;
    private String where;

    private PskcKeyReader(Element keyPackage, Element key, int position, PskcEncryption encryption) {
        this.keyPackage = keyPackage;
        this.key = key;
        this.encryption = encryption;
        this.where = "KeyPackage " + position;
    }

    /** The token, or empty for a PIN key, whose secret is still checked (and then wiped). */
    static Optional<PskcToken> read(Element keyPackage, Element key, int position, PskcEncryption encryption) {
        return new PskcKeyReader(keyPackage, key, position, encryption).read();
    }

    private Optional<PskcToken> read() {
        Optional<Element> deviceInfo = PskcXml.child(keyPackage, PSKC, "DeviceInfo");
        String serial = deviceInfo.flatMap(d -> PskcXml.text(d, PSKC, "SerialNo")).orElse(null);
        if (serial != null) {
            if (!PskcToken.SERIAL.matcher(serial).matches()) {
                throw malformed("its serial number is not 1 to 64 letters, digits or '-'");
            }
            where = where + " (serial number " + serial + ")";
        }
        String algorithm = PskcXml.attribute(key, "Algorithm").orElseThrow(() -> malformed("its Key has no Algorithm"));
        String keyId = PskcXml.attribute(key, "Id").orElseThrow(() -> malformed("its Key has no Id"));
        Optional<Element> data = PskcXml.child(key, PSKC, "Data");
        Optional<Element> secretElement = data.flatMap(d -> PskcXml.child(d, PSKC, "Secret"));

        if (PskcAlgorithms.PIN.equals(algorithm)) {
            secretElement.map(this::secret).ifPresent(Secret::destroy);
            return Optional.empty();
        }
        PskcKind kind = PskcAlgorithms.kind(algorithm).orElseThrow(() -> new PskcException(
                Reason.UNSUPPORTED_ALGORITHM, where + ": the key algorithm is not HOTP, TOTP or OCRA"));
        if (secretElement.isEmpty()) {
            throw new PskcException(Reason.MISSING_SECRET,
                    where + ": the key has no secret (keys derived from a KeyReference cannot be imported)");
        }
        PskcToken.Builder token = PskcToken.builder()
                .serialNumber(serial)
                .manufacturer(deviceInfo.flatMap(d -> PskcXml.text(d, PSKC, "Manufacturer")).orElse(null))
                .keyId(keyId)
                .algorithm(algorithm, kind)
                .ocraSuite(kind == PskcKind.OCRA ? algorithm.substring(algorithm.indexOf('#') + 1) : null)
                .responseFormat(responseFormat().orElse(null))
                .counter(number(data.get(), "Counter").orElse(null))
                .time(number(data.get(), "Time").orElse(null))
                .timeInterval(number(data.get(), "TimeInterval").map(this::toInt).orElse(null))
                .timeDrift(number(data.get(), "TimeDrift").map(this::toInt).orElse(null));
        Optional<Element> policy = PskcXml.child(key, PSKC, "Policy");
        token.validity(policy.flatMap(p -> date(p, "StartDate")).orElse(null),
                policy.flatMap(p -> date(p, "ExpiryDate")).orElse(null));
        Secret secret = secret(secretElement.get());
        try {
            return Optional.of(token.secret(secret).build());
        } catch (IllegalArgumentException e) {
            secret.destroy();
            // Builder messages are our own sentences about the rule broken, never document text.
            throw malformed(e.getMessage());
        }
    }

    private Secret secret(Element secretElement) {
        Optional<Element> plain = PskcXml.child(secretElement, PSKC, "PlainValue");
        Optional<Element> encrypted = PskcXml.child(secretElement, PSKC, "EncryptedValue");
        if (plain.isPresent() == encrypted.isPresent()) {
            throw malformed("the secret needs exactly one of PlainValue and EncryptedValue");
        }
        Secret secret;
        if (plain.isPresent()) {
            byte[] bytes = PskcXml.base64(plain.get().getTextContent(), where + ": the secret");
            try {
                secret = bytes.length == 0 ? null : Secret.copyOf(bytes);
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        } else {
            secret = encryption.open(encrypted.get(), PskcXml.child(secretElement, PSKC, "ValueMAC").orElse(null));
        }
        if (secret == null || secret.length() > MAX_SECRET_BYTES) {
            if (secret != null) {
                secret.destroy();
            }
            throw malformed("the secret has 1 to " + MAX_SECRET_BYTES + " bytes");
        }
        return secret;
    }

    private Optional<PskcResponseFormat> responseFormat() {
        Optional<Element> format = PskcXml.child(key, PSKC, "AlgorithmParameters")
                .flatMap(p -> PskcXml.child(p, PSKC, "ResponseFormat"));
        if (format.isEmpty()) {
            return Optional.empty();
        }
        Element f = format.get();
        try {
            int length = Integer.parseInt(PskcXml.attribute(f, "Length").orElse(""));
            PskcResponseFormat.Encoding encoding = PskcResponseFormat.Encoding.valueOf(
                    PskcXml.attribute(f, "Encoding").orElse("").toUpperCase(Locale.ROOT));
            String checkDigits = PskcXml.attribute(f, "CheckDigits").orElse("false");
            if (!checkDigits.matches("true|false|1|0")) {
                throw malformed("ResponseFormat CheckDigits is not a boolean");
            }
            return Optional.of(new PskcResponseFormat(length, encoding, checkDigits.equals("true") || checkDigits.equals("1")));
        } catch (IllegalArgumentException e) {
            throw malformed("ResponseFormat needs a Length of " + PskcResponseFormat.MIN_LENGTH + " to "
                    + PskcResponseFormat.MAX_LENGTH + " and an RFC 6030 Encoding");
        }
    }

    /** A {@code Data} integer such as Counter; only its plain form is supported. */
    private Optional<Long> number(Element data, String name) {
        return PskcXml.child(data, PSKC, name).map(element -> {
            if (PskcXml.child(element, PSKC, "EncryptedValue").isPresent()) {
                throw new PskcException(Reason.UNSUPPORTED_ALGORITHM, where + ": an encrypted " + name + " is not supported");
            }
            String text = PskcXml.text(element, PSKC, "PlainValue").orElseThrow(() -> malformed(name + " has no PlainValue"));
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw malformed(name + " is not an integer");
            }
        });
    }

    private Integer toInt(Long value) {
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw malformed("a time interval or drift is out of range");
        }
        return value.intValue();
    }

    /** An xs:dateTime; RFC 6030 requires UTC, so one written without a zone is read as UTC. */
    private Optional<Instant> date(Element policy, String name) {
        return PskcXml.text(policy, PSKC, name).map(text -> {
            try {
                XMLGregorianCalendar calendar = DatatypeFactory.newInstance().newXMLGregorianCalendar(text);
                if (calendar.getXMLSchemaType() != DatatypeConstants.DATETIME) {
                    throw new IllegalArgumentException("not a dateTime");
                }
                if (calendar.getTimezone() == DatatypeConstants.FIELD_UNDEFINED) {
                    calendar.setTimezone(0);
                }
                return calendar.toGregorianCalendar().toInstant();
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw malformed("Policy " + name + " is not an xs:dateTime");
            } catch (DatatypeConfigurationException e) {
                throw new IllegalStateException("The JDK lacks XML date types", e);
            }
        });
    }

    private PskcException malformed(String problem) {
        return PskcXml.malformed(where + ": " + problem);
    }
}
