package org.countersign.push.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.PrivateKey;

/**
 * A Firebase service account key, the JSON file Google issues. Only what FCM HTTP v1 needs is read:
 * the project, the account's e-mail, the key (RSA, PKCS#8 PEM) and its id, and the token endpoint.
 */
record FcmServiceAccount(String projectId, String clientEmail, String privateKeyId, PrivateKey privateKey, String tokenUri) {

    static final String DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token";

    /** @throws IllegalArgumentException naming the missing or malformed member, never quoting the key */
    static FcmServiceAccount parse(String json, ObjectMapper mapper) {
        JsonNode node;
        try {
            node = mapper.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("countersign.push.fcm.service-account is not JSON");
        }
        if (node == null || !node.isObject() || !"service_account".equals(node.path("type").asText())) {
            throw new IllegalArgumentException("countersign.push.fcm.service-account is not a service account key (type service_account)");
        }
        for (String member : new String[] {"project_id", "client_email", "private_key"}) {
            if (!node.path(member).isTextual() || node.path(member).asText().isBlank()) {
                throw new IllegalArgumentException("countersign.push.fcm.service-account lacks " + member);
            }
        }
        PrivateKey key = PemKeys.pkcs8(node.path("private_key").asText(), "RSA", "The service account's private_key");
        String tokenUri = node.path("token_uri").isTextual() ? node.path("token_uri").asText() : DEFAULT_TOKEN_URI;
        return new FcmServiceAccount(node.path("project_id").asText(), node.path("client_email").asText(),
                node.path("private_key_id").isTextual() ? node.path("private_key_id").asText() : null, key, tokenUri);
    }

    @Override
    public String toString() {
        return "FcmServiceAccount[" + projectId + ", " + clientEmail + "]";
    }
}
