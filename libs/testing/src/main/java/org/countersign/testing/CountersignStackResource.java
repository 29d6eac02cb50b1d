package org.countersign.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.countersign.secrets.Keyring;
import org.countersign.stack.DevCertificateAuthority;
import org.countersign.stack.DevKeys;
import org.countersign.stack.EmbeddedStack;

/**
 * Points a service under test at the shared embedded stack: its own fresh database, its own topic
 * prefix, the test token key, and its own sealing keys (as {@code ./countersign up} gives them). A
 * stateless service passes {@code stack=false} and gets only the token key. Declare it once per module
 * with the service's name:
 * {@code @QuarkusTestResource(value = CountersignStackResource.class, initArgs = @ResourceArg(name = "service", value = "otp"))}.
 */
public class CountersignStackResource implements QuarkusTestResourceLifecycleManager {

    /** The configuration key of the prefix put before every topic name, so test runs never share topics. */
    public static final String TOPIC_PREFIX_KEY = "countersign.events.topic-prefix";
    /** The provisioning-service's device CA: its key, sealed at rest, and its certificate. */
    public static final String CA_KEY_KEY = "countersign.provisioning.ca.key";
    public static final String CA_CERTIFICATE_KEY = "countersign.provisioning.ca.certificate";

    private String service = "service";
    private boolean needsStack = true;
    private String database;

    @Override
    public void init(Map<String, String> initArgs) {
        service = initArgs.getOrDefault("service", service);
        needsStack = Boolean.parseBoolean(initArgs.getOrDefault("stack", "true"));
    }

    @Override
    public Map<String, String> start() {
        if (!needsStack) {
            return Map.of("mp.jwt.verify.publickey.location", SharedStack.keys().publicKey().toUri().toString());
        }
        TestStack stack = SharedStack.get();
        String suffix = HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
        database = ("t_" + service + "_" + suffix).replace('-', '_');
        stack.createDatabase(database);

        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", stack.kafkaBootstrapServers());
        config.put("quarkus.datasource.jdbc.url", stack.postgresJdbcUrl(database));
        config.put("quarkus.datasource.reactive.url", stack.postgresReactiveUrl(database));
        config.put("quarkus.datasource.username", EmbeddedStack.POSTGRES_USER);
        config.put("quarkus.datasource.password", "");
        config.put("quarkus.redis.hosts", stack.redisUri());
        config.put("mp.jwt.verify.publickey.location", SharedStack.keys().publicKey().toUri().toString());
        config.put(TOPIC_PREFIX_KEY, "t" + suffix + ".");
        // The sealing keys of this test JVM, each service its own (libs/stack DevKeys, in a temporary directory):
        // what a service seals for another opens only with that service's keys, here as in production.
        DevKeys keys = SharedStack.keys();
        config.putAll(keys.sealingConfiguration(service));
        if (!DevKeys.RECIPIENTS.contains(service)) {
            // A service under test that seals for itself (libs/events' test application) receives too.
            config.put("countersign.events.sealing.private-keys", keys.privateKeys(service));
            config.put("countersign.events.sealing.recipients." + service, keys.publicKey(service));
        }
        config.putAll(deviceCa(keys));
        return config;
    }

    /** The provisioning-service's device CA: its key sealed under the provisioning-service's at-rest key. */
    private static Map<String, String> deviceCa(DevKeys keys) {
        DevCertificateAuthority ca = SharedStack.deviceCa();
        return Map.of(CA_KEY_KEY, ca.sealedPrivateKey(Keyring.parse(keys.atRestKeys("provisioning"), DevKeys.keyId("provisioning"))),
                CA_CERTIFICATE_KEY, ca.certificatePem());
    }

    @Override
    public void stop() {
        if (database != null) {
            SharedStack.get().dropDatabase(database);
        }
    }
}
