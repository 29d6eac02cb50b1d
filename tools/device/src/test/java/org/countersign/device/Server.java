package org.countersign.device;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.countersign.protocol.ActivationMessage2;
import org.countersign.protocol.ActivationSignature;
import org.countersign.protocol.DeviceCode;
import org.countersign.protocol.InstanceKeys;
import org.countersign.protocol.OtpPolicy;
import org.countersign.protocol.ProtocolUris;
import org.countersign.secrets.Secret;
import org.countersign.protocol.SigningMessage;
import org.countersign.protocol.SigningPayload;
import org.countersign.protocol.TransactionData;
import org.countersign.protocol.TransactionField;
import org.countersign.protocol.TransactionSignature;
import org.countersign.visualcodes.codec.CodeFormat;
import org.countersign.visualcodes.codec.Ecc;
import org.countersign.visualcodes.codec.ModuleGrid;
import org.countersign.visualcodes.codec.PngWriter;
import org.countersign.visualcodes.codec.VisualCodeEncoder;

/**
 * The server side of protocol.md for the tests, with libs/protocol's server functions only, as
 * provisioning-service and otp-service compute them: one registration, its add-device and activate
 * steps, and signing challenges for the activated instance. Also renders messages as PNG files
 * with libs/visual-codes' encoder.
 */
final class Server {

    final String rid;
    final String sn;
    final String iid;
    final OtpPolicy otp;
    private final Secret ap = Secret.random(20);
    private final Secret is = Secret.random(32);
    private final Map<String, String> challenges = new HashMap<>();
    private DeviceCode typed;
    private int challengeCount;

    Server(String rid, String sn, String iid, OtpPolicy otp) {
        this.rid = rid;
        this.sn = sn;
        this.iid = iid;
        this.otp = otp;
    }

    /** Register: activation message 1. */
    String activationMessage1(String issuer, String account) {
        return ProtocolUris.activationMessage1(sn, rid, ap, issuer, account);
    }

    /** Add device: parses the typed code as the server does, and seals IS. */
    String addDevice(String typedDeviceCode) {
        typed = DeviceCode.parse(typedDeviceCode);
        return ActivationMessage2.seal(ap, typed, rid, iid, sn, otp, is).toUri();
    }

    /** Activate: the signature, compared in constant time; throws InvalidCodeException when wrong. */
    void activate(String signature) {
        ActivationSignature.verify(InstanceKeys.of(is), rid, iid, typed, signature);
    }

    Secret instanceSecret() {
        return is;
    }

    InstanceKeys keys() {
        return InstanceKeys.of(is);
    }

    /** A signing challenge: the countersign://sign URI; remembers the dataHash under the cid. */
    String signingChallenge(String message, List<TransactionField> fields, Instant expiresAt) {
        return signingChallenge(iid, keys(), message, fields, expiresAt);
    }

    String signingChallenge(String forIid, InstanceKeys keys, String message, List<TransactionField> fields, Instant expiresAt) {
        String cid = "chal-" + (++challengeCount);
        TransactionData data = new TransactionData(message, fields);
        challenges.put(cid, data.dataHash());
        return SigningMessage.seal(keys, forIid, cid, new SigningPayload(data, expiresAt)).toUri();
    }

    String dataHash(String cid) {
        return challenges.get(cid);
    }

    /** Verify: throws InvalidCodeException when the response is wrong. */
    void verifyResponse(String cid, String response) {
        TransactionSignature.verify(keys(), cid, challenges.get(cid), response);
    }

    /** Renders {@code message} as a PNG file, four pixels per module. */
    static Path png(Path directory, String name, String message, CodeFormat format) {
        try {
            ModuleGrid grid = VisualCodeEncoder.encode(message.getBytes(StandardCharsets.UTF_8), format, Ecc.M,
                    VisualCodeEncoder.MIN_QUIET_ZONE);
            Path file = directory.resolve(name);
            Files.write(file, PngWriter.write(grid, grid.side() * 4));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
