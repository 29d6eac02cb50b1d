package org.countersign.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.countersign.secrets.Aead;
import org.countersign.secrets.Binding;
import org.countersign.secrets.RecipientKey;
import org.countersign.secrets.RecipientKeyring;
import org.countersign.secrets.SealedValue;
import org.countersign.secrets.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The development sealing keys: each service its own, kept across runs, readable by their owner only. */
class DevKeysTest {

    private static final Binding BINDING = Binding.of("instance-secret", "instance", "i-1");

    @TempDir
    Path dir;

    @Test
    void sealingConfiguration_eachServiceItsOwnKeys_producersOnlyPublicOnes() {
        DevKeys keys = DevKeys.in(dir);
        Map<String, String> otp = keys.sealingConfiguration("otp");
        Map<String, String> provisioning = keys.sealingConfiguration("provisioning");
        Map<String, String> registration = keys.sealingConfiguration("registration");

        assertFalse(registration.containsKey("countersign.events.sealing.private-keys"), "registration receives nothing sealed");
        assertEquals(keys.publicKey("otp"), registration.get("countersign.events.sealing.recipients.otp"));
        assertEquals(keys.publicKey("otp"), provisioning.get("countersign.events.sealing.recipients.otp"));
        assertFalse(otp.containsKey("countersign.events.sealing.recipients.otp"));
        assertNotEquals(otp.get("countersign.events.sealing.at-rest-keys"), provisioning.get("countersign.events.sealing.at-rest-keys"));

        Secret secret = Secret.random(32);
        SealedValue sealed = RecipientKey.parse(provisioning.get("countersign.events.sealing.recipients.otp")).seal(secret, BINDING);
        assertTrue(RecipientKeyring.parse(otp.get("countersign.events.sealing.private-keys")).open(sealed, BINDING).sameAs(secret));
        assertThrows(Aead.AeadException.class,
                () -> RecipientKeyring.parse(provisioning.get("countersign.events.sealing.private-keys")).open(sealed, BINDING));
    }

    @Test
    void keys_keptAcrossRuns_ownerOnly() throws Exception {
        String first = DevKeys.in(dir).privateKeys("otp");
        assertEquals(first, DevKeys.in(dir).privateKeys("otp"));
        assertEquals(DevKeys.in(dir).atRestKeys("otp"), DevKeys.in(dir).atRestKeys("otp"));
        Path file = dir.resolve(DevKeys.SEALING_DIR).resolve("otp.private-keys");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }
}
