package org.countersign.portal.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.POST;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.resteasy.reactive.RestForm;
import org.junit.jupiter.api.Test;

/** Every form's endpoint takes the CSRF token, and every problem a page can meet has words of its own. */
class FormsTest {

    @Test
    void everyPost_takesTheCsrfToken() {
        List<String> posts = new ArrayList<>();
        for (Class<?> resource : List.of(SignInResource.class, DeviceResource.class, ActivationResource.class)) {
            for (Method method : resource.getDeclaredMethods()) {
                if (!method.isAnnotationPresent(POST.class)) {
                    continue;
                }
                posts.add(resource.getSimpleName() + "." + method.getName());
                boolean csrf = false;
                for (Parameter parameter : method.getParameters()) {
                    RestForm form = parameter.getAnnotation(RestForm.class);
                    csrf |= form != null && form.value().equals("_csrf");
                }
                assertTrue(csrf, method + " takes no _csrf form field");
            }
        }
        assertEquals(9, posts.size(), "sign-in, sign-out, remove, rescan, start, device code, signature, first code, cancel: " + posts);
    }

    @Test
    void problems_eachSaidInItsOwnWords_attemptsCounted() {
        List<String> types = List.of("invalid-device-code", "signature-format", "first-code-format", "wrong-activation-signature",
                "wrong-activation-otp", "activation-state-conflict", "registration-expired", "activation-failed",
                "registration-closed", "instance-not-migratable", "licence-activation-limit", "user-authenticator-limit",
                "no-free-licence", "activation-type-not-allowed", "device-ca-unavailable", "choice-unavailable");
        Set<String> said = new HashSet<>();
        for (String type : types) {
            String message = Messages.activation(type, null);
            assertNotEquals(Messages.GENERIC, message, type);
            assertFalse(message.contains(type) || message.contains("problem"), "no slug in the words: " + message);
            said.add(message);
        }
        assertEquals(types.size(), said.size(), "no two problems share a sentence");
        assertEquals(Messages.GENERIC, Messages.activation("some-new-problem", null));
        assertTrue(Messages.activation("wrong-activation-signature", 3).endsWith("You have 3 attempts left."));
        assertTrue(Messages.activation("wrong-activation-signature", 1).endsWith("You have 1 attempt left."));
        assertTrue(Messages.signInLocked(61L).contains("2 minutes"));
        assertTrue(Messages.signInLocked(null).contains("ask your bank"));
    }
}
