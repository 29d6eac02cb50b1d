package org.countersign.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.util.Optional;
import org.countersign.secrets.Aead;
import org.countersign.secrets.Binding;
import org.countersign.secrets.SealedValue;
import org.countersign.secrets.Secret;
import org.junit.jupiter.api.Test;

/** Keys at rest can be added to a deployment that started without them, without losing what it stored. */
class AtRestSealerTest {

    private static final String TRANSPORT = "t1:" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
    private static final String AT_REST = "r1:" + java.util.Base64.getEncoder().encodeToString(filled(7));
    private static final Binding INSTANCE_SECRET = Binding.of("instance-secret", "instance", "i-1");

    @Test
    void valueSealedBeforeAtRestKeysWereConfigured_stillOpens_newValuesUseTheAtRestKey() {
        Secret secret = Secret.copyOf(filled(42));
        SealedValue before = sealer(null).seal(secret, INSTANCE_SECRET);
        assertEquals("t1", before.keyId());

        AtRestSealer later = sealer(AT_REST);
        assertArrayEquals(secret.reveal(), later.open(before, INSTANCE_SECRET).reveal());
        SealedValue after = later.seal(secret, INSTANCE_SECRET);
        assertEquals("r1", after.keyId());
        assertArrayEquals(secret.reveal(), later.open(after, INSTANCE_SECRET).reveal());
    }

    @Test
    void purposesAndOwnersStaySeparate_andAtRestSealsAreNotTransportSeals() {
        AtRestSealer sealer = sealer(AT_REST);
        Binding otpKeyOfA = Binding.of("otp-key", "credential", "a");
        SealedValue sealed = sealer.seal(Secret.copyOf(filled(1)), otpKeyOfA);
        assertArrayEquals(filled(1), sealer.open(sealed, otpKeyOfA).reveal());
        assertThrows(Aead.AeadException.class, () -> sealer.open(sealed, Binding.of("instance-secret", "credential", "a")));
        assertThrows(Aead.AeadException.class, () -> sealer.open(sealed, Binding.of("otp-key", "credential", "b")));
        SealedValue underTransportKey = sealer(null).seal(Secret.copyOf(filled(1)), otpKeyOfA);
        assertThrows(Aead.AeadException.class, () -> transport().open(underTransportKey, otpKeyOfA));
    }

    private static AtRestSealer sealer(String atRestKeys) {
        EventsConfig config = config(atRestKeys);
        return new AtRestSealer(config, new TransportSealer(config));
    }

    private static TransportSealer transport() {
        return new TransportSealer(config(null));
    }

    /** Only the sealing keys matter here. */
    private static EventsConfig config(String atRestKeys) {
        EventsConfig.Sealing sealing = (EventsConfig.Sealing) Proxy.newProxyInstance(EventsConfig.class.getClassLoader(),
                new Class<?>[] {EventsConfig.Sealing.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "keys" -> Optional.of(TRANSPORT);
                    case "currentKeyId" -> Optional.of("t1");
                    case "atRestKeys" -> Optional.ofNullable(atRestKeys);
                    case "atRestCurrentKeyId" -> Optional.empty();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (EventsConfig) Proxy.newProxyInstance(EventsConfig.class.getClassLoader(), new Class<?>[] {EventsConfig.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("sealing")) {
                        return sealing;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static byte[] filled(int value) {
        byte[] bytes = new byte[32];
        java.util.Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
