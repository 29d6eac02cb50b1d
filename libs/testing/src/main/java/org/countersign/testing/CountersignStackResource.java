package org.countersign.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.countersign.secrets.Binding;
import org.countersign.secrets.Keyring;
import org.countersign.secrets.Secret;
import org.countersign.stack.DevCertificateAuthority;
import org.countersign.stack.EmbeddedStack;

/**
 * Points a service under test at the shared embedded stack: its own fresh database, its own topic
 * prefix, and the test token key. A stateless service passes {@code stack=false} and gets only the key. Declare it once per module with the service's name:
 * {@code @QuarkusTestResource(value = CountersignStackResource.class, initArgs = @ResourceArg(name = "service", value = "otp"))}.
 */
public class CountersignStackResource implements QuarkusTestResourceLifecycleManager {

    /** The configuration key of the prefix put before every topic name, so test runs never share topics. */
    public static final String TOPIC_PREFIX_KEY = "countersign.events.topic-prefix";
    /** The provisioning-service's device CA: its key, sealed at rest, and its certificate. */
    public static final String CA_KEY_KEY = "countersign.provisioning.ca.key";
    public static final String CA_CERTIFICATE_KEY = "countersign.provisioning.ca.certificate";

    /** What the provisioning-service's AtRestSealer opens its CA key with (DeviceCertificateAuthority.CA_KEY, at rest). */
    private static final Binding CA_KEY_BINDING = Binding.of("ca-key", "device-ca").within("at-rest/");

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
        EmbeddedStack stack = SharedStack.get();
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
        // A transport key of this run only: sealed values of one run open nowhere else.
        String transportKeys = "test:" + java.util.Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));
        config.put("countersign.events.sealing.keys", transportKeys);
        config.put("countersign.events.sealing.current-key-id", "test");
        config.putAll(deviceCa(transportKeys));
        return config;
    }

    /**
     * The provisioning-service's device CA: its key sealed the way the service's AtRestSealer opens it
     * when no at-rest keys are set (under the transport keys, for the purpose at-rest/ca-key and the owner device-ca).
     */
    private static Map<String, String> deviceCa(String transportKeys) {
        DevCertificateAuthority ca = SharedStack.deviceCa();
        Secret key = Secret.copyOf(ca.privateKeyPkcs8());
        try {
            return Map.of(CA_KEY_KEY, Keyring.parse(transportKeys, "test").seal(key, CA_KEY_BINDING).toText(),
                    CA_CERTIFICATE_KEY, ca.certificatePem());
        } finally {
            key.destroy();
        }
    }

    @Override
    public void stop() {
        if (database != null) {
            SharedStack.get().dropDatabase(database);
        }
    }
}
