package org.countersign.registration.service;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.countersign.events.EventDraft;
import org.countersign.events.EventKey;
import org.countersign.events.Outbox;
import org.countersign.events.TransportSealer;
import org.countersign.events.payload.TokenImported;
import org.countersign.registration.domain.Licence;
import org.countersign.registration.domain.LicenceModel;
import org.countersign.registration.domain.PskcCredentials;
import org.countersign.registration.domain.PskcKind;
import org.countersign.registration.domain.PskcResponseFormat;
import org.countersign.registration.domain.PskcToken;
import org.countersign.registration.domain.RegistrationProblem;
import org.countersign.web.ProblemException;

/**
 * Imports hardware tokens from a PSKC document: each becomes an SDL licence here, and its seed goes to
 * the otp-service only, sealed to its public key on the internal credentials topic. The seed is
 * never stored by this service. All or nothing.
 */
@ApplicationScoped
public class PskcImportService {

    private final PskcParser parser = new PskcParser();
    private final LicenceService licences;
    private final TransportSealer sealer;
    private final Outbox outbox;
    private final Vertx vertx;
    private final Clock clock;

    public PskcImportService(LicenceService licences, TransportSealer sealer, Outbox outbox, Vertx vertx, Clock clock) {
        this.licences = licences;
        this.sealer = sealer;
        this.outbox = outbox;
        this.vertx = vertx;
        this.clock = clock;
    }

    /** Parses off the event loop (XML and PBKDF2 are CPU work), then imports in one transaction. */
    public Uni<List<Licence>> importDocument(String domain, String authenticatorType, byte[] document,
                                             PskcCredentials credentials) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
                    try {
                        return parser.parse(document, credentials);
                    } finally {
                        credentials.destroy();
                    }
                }))
                .chain(parsed -> importTokens(domain, authenticatorType, current(parsed.tokens())));
    }

    @WithTransaction
    Uni<List<Licence>> importTokens(String domain, String authenticatorType, List<PskcToken> tokens) {
        List<NewLicence> batch = tokens.stream()
                .map(token -> new NewLicence(token.serialNumber().orElseThrow(), authenticatorType, LicenceModel.SDL, 1))
                .toList();
        List<TokenImported> seeds = new ArrayList<>();
        Instant now = clock.instant();
        for (PskcToken token : tokens) {
            seeds.add(new TokenImported(token.serialNumber().orElseThrow(), domain, otp(token),
                    token.kind() == PskcKind.OCRA ? token.ocraSuite().orElseThrow() : null,
                    token.kind() == PskcKind.HOTP ? token.counter().orElse(0) : null,
                    sealer.seal(TokenImported.SEALED_FOR, token.secret(),
                            TokenImported.seedBinding(domain, token.serialNumber().orElseThrow())), now));
            token.secret().destroy();
        }
        return licences.importBatch(domain, batch, "pskc").call(created -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (TokenImported seed : seeds) {
                chain = chain.chain(() -> outbox.add(new EventDraft(TokenImported.TYPE, EventKey.of("licences", domain),
                        "token/" + seed.serialNumber(), seed)).replaceWithVoid());
            }
            return chain;
        });
    }

    /**
     * One key per serial number. A document may carry several keys of one token for successive
     * periods (RFC 6030, Figure 10): the one valid now wins, else the one that starts last.
     */
    private List<PskcToken> current(List<PskcToken> tokens) {
        Instant now = clock.instant();
        Map<String, List<PskcToken>> bySerial = new LinkedHashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            PskcToken token = tokens.get(i);
            String serial = token.serialNumber().orElseThrow(() -> new ProblemException(RegistrationProblem.INVALID_PSKC,
                    "A key has no serial number (DeviceInfo/SerialNo); every imported token needs one"));
            bySerial.computeIfAbsent(serial, s -> new ArrayList<>()).add(token);
        }
        List<PskcToken> chosen = new ArrayList<>();
        for (List<PskcToken> keys : bySerial.values()) {
            chosen.add(keys.stream()
                    .filter(k -> k.validFrom().map(f -> !f.isAfter(now)).orElse(true) && k.validUntil().map(u -> u.isAfter(now)).orElse(true))
                    .findFirst()
                    .orElseGet(() -> keys.stream().max(Comparator.comparing(k -> k.validFrom().orElse(Instant.MIN))).orElseThrow()));
        }
        return chosen;
    }

    /** The protocol.md parameter string of an HOTP or TOTP token; OCRA tokens have a suite instead. */
    private static String otp(PskcToken token) {
        if (token.kind() == PskcKind.OCRA) {
            return null;
        }
        PskcResponseFormat format = token.responseFormat().orElse(new PskcResponseFormat(6, PskcResponseFormat.Encoding.DECIMAL, false));
        if (format.encoding() != PskcResponseFormat.Encoding.DECIMAL || format.length() > 8 || format.checkDigit()) {
            throw new ProblemException(RegistrationProblem.INVALID_PSKC, "Token " + token.serialNumber().orElse("?")
                    + ": only decimal codes of 6 to 8 digits without a check digit are supported");
        }
        return token.kind() == PskcKind.HOTP ? "hotp:sha1:" + format.length()
                : "totp:sha1:" + format.length() + ":" + token.timeInterval().orElse(30);
    }
}
