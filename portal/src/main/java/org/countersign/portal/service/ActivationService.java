package org.countersign.portal.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.countersign.portal.client.ProvisioningClient;
import org.countersign.portal.client.RegistrationClient;
import org.countersign.portal.client.VisualCodesClient;
import org.countersign.portal.config.PortalConfig;
import org.countersign.portal.domain.ActivationChoice;
import org.countersign.portal.domain.ActivationFlow;
import org.countersign.portal.domain.ActivationState;
import org.countersign.portal.domain.ChoiceUnavailableException;
import org.countersign.portal.domain.FlowKind;
import org.countersign.portal.domain.Licence;
import org.countersign.portal.domain.NewRegistration;
import org.countersign.portal.domain.NoActivationException;
import org.countersign.portal.domain.Notice;
import org.countersign.portal.domain.Policy;
import org.countersign.portal.domain.ServiceProblemException;
import org.jboss.logging.Logger;

/**
 * Activating a device from the page: offline (two images, two codes typed), online (one QR code, the phone
 * confirms by itself), a stock authenticator app (an otpauth QR code and its first code), and "Rescan
 * Device". One activation per session at a time: starting another cancels the one under way, so that no
 * licence stays reserved by a page the user left. Every step acts on the session's own registration only.
 */
@ApplicationScoped
public class ActivationService {

    private static final Logger LOG = Logger.getLogger(ActivationService.class);
    private static final String MESSAGE = "activation-message";
    private static final String MESSAGE2 = "activation-message-2";
    private static final String DEVICE_CODE = "device-code";
    /** Failures the provisioning-service counts against the activation's attempts. */
    private static final Set<String> COUNTED = Set.of("wrong-activation-signature", "wrong-activation-otp",
            "wrong-activation-proof", "activation-state-conflict");

    private final RegistrationClient registration;
    private final ProvisioningClient provisioning;
    private final VisualCodesClient images;
    private final DeviceService devices;
    private final SessionService sessions;
    private final PortalConfig config;
    private final Clock clock;

    public ActivationService(RegistrationClient registration, ProvisioningClient provisioning, VisualCodesClient images,
                             DeviceService devices, SessionService sessions, PortalConfig config, Clock clock) {
        this.registration = registration;
        this.provisioning = provisioning;
        this.images = images;
        this.devices = devices;
        this.sessions = sessions;
        this.config = config;
        this.clock = clock;
    }

    /**
     * What the user may activate: each licence assigned to them (imported tokens aside) and each type of the
     * domain's stock the portal offers, with every activation type the domain's policy allows for its type.
     * Licences with no activation left are listed too (not available), so that a page opened before the last
     * one was taken hears the registration-service say so.
     */
    public Uni<List<ActivationChoice>> choices(String userId) {
        List<String> stock = config.freeLicenceTypes().orElse(List.of());
        return registration.licencesOf(userId).chain(licences -> {
            List<Licence> usable = licences.stream().filter(Licence::activatable).toList();
            Set<String> types = new LinkedHashSet<>();
            usable.forEach(licence -> types.add(licence.authenticatorType()));
            types.addAll(stock);
            if (types.isEmpty()) {
                return Uni.createFrom().item(List.<ActivationChoice>of());
            }
            List<Uni<Map.Entry<String, Policy>>> policies = types.stream()
                    .map(type -> registration.policy(type).map(policy -> Map.entry(type, policy))).toList();
            return Uni.join().all(policies).andFailFast().map(entries -> {
                Map<String, Policy> byType = new LinkedHashMap<>();
                entries.forEach(entry -> byType.put(entry.getKey(), entry.getValue()));
                List<ActivationChoice> choices = new ArrayList<>();
                for (Licence licence : usable) {
                    for (FlowKind kind : kinds(byType.get(licence.authenticatorType()))) {
                        choices.add(new ActivationChoice(licence.serialNumber(), licence.authenticatorType(), kind,
                                licence.activationsLeft()));
                    }
                }
                for (String type : stock) {
                    for (FlowKind kind : kinds(byType.get(type))) {
                        choices.add(new ActivationChoice(null, type, kind, null));
                    }
                }
                return choices;
            });
        });
    }

    private static List<FlowKind> kinds(Policy policy) {
        List<FlowKind> kinds = new ArrayList<>();
        if (policy != null && policy.activationTypes() != null) {
            policy.activationTypes().stream().map(FlowKind::startable).filter(k -> k != null && !kinds.contains(k))
                    .forEach(kinds::add);
        }
        return kinds;
    }

    /** Starts the activation the user chose, if it is still one of their choices. */
    public Uni<CurrentSession> start(CurrentSession current, String csrf, String choice) {
        sessions.requireCsrf(current, csrf);
        String userId = current.session().userId();
        return choices(userId).chain(choices -> {
            // Only what the page offered (the portal's token could register any licence of the domain); whether
            // it still has an activation left is the registration-service's to say.
            ActivationChoice chosen = choices.stream().filter(c -> c.value().equals(choice)).findFirst()
                    .orElseThrow(ChoiceUnavailableException::new);
            return closeOpenFlow(current)
                    .chain(() -> registration.register(userId, chosen.serialNumber(),
                            chosen.serialNumber() == null ? chosen.authenticatorType() : null, chosen.kind().activationType()))
                    .chain(registered -> begin(current, chosen.kind(), registered, null));
        });
    }

    /** "Rescan Device": the user's active offline device gets a QR code that moves it online. */
    public Uni<CurrentSession> startRescan(CurrentSession current, String csrf, String instanceId) {
        sessions.requireCsrf(current, csrf);
        String userId = current.session().userId();
        return devices.own(userId, instanceId).chain(instance -> {
            if (!"offline".equals(instance.mode())) {
                throw new ChoiceUnavailableException();
            }
            return closeOpenFlow(current)
                    .chain(() -> registration.registerMigration(userId, instance.instanceId()))
                    .chain(registered -> begin(current, FlowKind.RESCAN, registered, instance.instanceId()));
        });
    }

    private Uni<CurrentSession> begin(CurrentSession current, FlowKind kind, NewRegistration registered, String instanceId) {
        LOG.infof("User %s started registration %s (%s)", current.session().userId(), registered.registrationId(),
                kind.activationType());
        ActivationFlow flow = ActivationFlow.started(kind, registered.registrationId(), registered.serialNumber(), instanceId,
                registered.expiresAt(), current.keys().seal(registered.activationMessage(), MESSAGE));
        return sessions.save(current, current.session().withFlow(flow).withNotice(null));
    }

    /** Cancels the registration a session left half way, so that its licence activation is free again. */
    private Uni<Void> closeOpenFlow(CurrentSession current) {
        ActivationFlow open = current.session().flow();
        if (open == null) {
            return Uni.createFrom().voidItem();
        }
        return registration.cancel(open.registrationId()).onFailure().recoverWithUni(e -> {
            LOG.warnf("Could not cancel registration %s: %s", open.registrationId(), e.getMessage());
            return Uni.createFrom().voidItem();
        });
    }

    /**
     * The page of the activation under way, with its image, after asking the provisioning-service where it
     * stands: a phone that confirmed finishes it here, and an activation that failed or expired meanwhile says so.
     */
    public Uni<ActivationStep> step(CurrentSession current) {
        ActivationFlow flow = current.session().flow();
        if (flow == null) {
            return Uni.createFrom().item(new ActivationStep(current, null, null, false));
        }
        return provisioning.activation(flow.registrationId()).chain(state -> settle(current, flow, state).chain(settled -> {
            ActivationStep step = new ActivationStep(settled, settled.session().flow(), null, false);
            if (step.flow() == null || step.ended()) {
                return Uni.createFrom().item(step);
            }
            ActivationFlow now = step.flow();
            if (state == null && phoneConfirms(now.kind())) {
                // A phone that scanned now would be told the registration is unknown: the code waits for its event.
                return Uni.createFrom().item(new ActivationStep(settled, now, null, true));
            }
            String message = now.awaitingSignature() ? settled.keys().open(now.sealedMessage2(), MESSAGE2)
                    : settled.keys().open(now.sealedMessage(), MESSAGE);
            String format = now.kind() != FlowKind.OFFLINE ? "qr"
                    : now.awaitingSignature() ? config.images().message2Format() : config.images().message1Format();
            return images.png(message, format).map(png -> new ActivationStep(settled, now, png, false));
        }));
    }

    /** Online and "Rescan Device": the phone finishes by itself, and the page follows. */
    public static boolean phoneConfirms(FlowKind kind) {
        return kind == FlowKind.ONLINE || kind == FlowKind.RESCAN;
    }

    /**
     * For the page's self-refresh: {@code preparing} until the provisioning-service knows the registration,
     * {@code waiting} while the device has yet to finish, else {@code changed}.
     */
    public Uni<String> status(CurrentSession current) {
        ActivationFlow flow = current.session().flow();
        if (flow == null) {
            return Uni.createFrom().item("changed");
        }
        return provisioning.activation(flow.registrationId()).map(state -> {
            boolean inTime = clock.instant().isBefore(flow.expiresAt());
            if (state == null) {
                return inTime ? "preparing" : "changed";
            }
            return state.open() && inTime ? "waiting" : "changed";
        });
    }

    private Uni<CurrentSession> settle(CurrentSession current, ActivationFlow flow, ActivationState state) {
        if (state != null && state.activated()) {
            return finish(current, flow);
        }
        String ended = state == null ? null : endedBy(state);
        if (ended == null && (state == null || state.open()) && !clock.instant().isBefore(flow.expiresAt())) {
            ended = "registration-expired";
        }
        if (ended == null || ended.equals(flow.error())) {
            return Uni.createFrom().item(current);
        }
        return sessions.save(current, current.session().withFlow(flow.failed(ended, flow.attemptsLeft())));
    }

    private static String endedBy(ActivationState state) {
        return switch (state.status()) {
            case "failed" -> "activation-failed";
            case "expired" -> "registration-expired";
            case "cancelled" -> "registration-closed";
            default -> null;
        };
    }

    /** Offline, step 1: the device code the device showed after scanning activation message 1. */
    public Uni<CurrentSession> submitDeviceCode(CurrentSession current, String csrf, String typed) {
        sessions.requireCsrf(current, csrf);
        ActivationFlow flow = flowAt(current, FlowKind.OFFLINE, false);
        String code = typed == null ? "" : typed.replaceAll("[\\s-]", "");
        if (!code.matches("[0-9]{14}")) {
            return fail(current, flow, "invalid-device-code", null);
        }
        return provisioning.addDevice(flow.registrationId(), code)
                .chain(added -> sessions.save(current, current.session().withFlow(flow.deviceAdded(
                        current.keys().seal(added.activationMessage2(), MESSAGE2), current.keys().seal(code, DEVICE_CODE)))))
                .onFailure(ServiceProblemException.class)
                .recoverWithUni(e -> failed(current, flow, (ServiceProblemException) e));
    }

    /** Offline, step 2: the signature the device showed after scanning activation message 2. */
    public Uni<CurrentSession> submitSignature(CurrentSession current, String csrf, String typed) {
        sessions.requireCsrf(current, csrf);
        ActivationFlow flow = flowAt(current, FlowKind.OFFLINE, true);
        String signature = typed == null ? "" : typed.replaceAll("\\s", "");
        if (!signature.matches("[0-9]{8}")) {
            return fail(current, flow, "signature-format", null);
        }
        String code = current.keys().open(flow.sealedDeviceCode(), DEVICE_CODE);
        return provisioning.activate(flow.registrationId(), code, signature)
                .chain(instance -> finish(current, flow))
                .onFailure(ServiceProblemException.class)
                .recoverWithUni(e -> failed(current, flow, (ServiceProblemException) e));
    }

    /** A stock authenticator app: the first code it shows after scanning the otpauth QR code. */
    public Uni<CurrentSession> submitFirstCode(CurrentSession current, String csrf, String typed) {
        sessions.requireCsrf(current, csrf);
        ActivationFlow flow = flowAt(current, FlowKind.OTPAUTH, false);
        String otp = typed == null ? "" : typed.replaceAll("\\s", "");
        if (!otp.matches("[0-9]{6,8}")) {
            return fail(current, flow, "first-code-format", null);
        }
        return provisioning.confirmOtp(flow.registrationId(), otp)
                .chain(instance -> finish(current, flow))
                .onFailure(ServiceProblemException.class)
                .recoverWithUni(e -> failed(current, flow, (ServiceProblemException) e));
    }

    /** Gives up the activation under way: its registration is cancelled and the licence activation released. */
    public Uni<CurrentSession> cancel(CurrentSession current, String csrf) {
        sessions.requireCsrf(current, csrf);
        ActivationFlow flow = current.session().flow();
        if (flow == null) {
            return Uni.createFrom().item(current);
        }
        return closeOpenFlow(current).chain(() -> sessions.save(current,
                current.session().withFlow(null).withNotice(new Notice("cancelled", flow.serialNumber()))));
    }

    private static ActivationFlow flowAt(CurrentSession current, FlowKind kind, boolean awaitingSignature) {
        ActivationFlow flow = current.session().flow();
        if (flow == null || flow.kind() != kind || flow.awaitingSignature() != awaitingSignature
                || new ActivationStep(current, flow, null, false).ended()) {
            throw new NoActivationException();
        }
        return flow;
    }

    private Uni<CurrentSession> finish(CurrentSession current, ActivationFlow flow) {
        LOG.infof("User %s finished registration %s", current.session().userId(), flow.registrationId());
        Notice notice = new Notice(flow.kind() == FlowKind.RESCAN ? "migrated" : "activated", flow.serialNumber());
        return sessions.save(current, current.session().withFlow(null).withNotice(notice));
    }

    private Uni<CurrentSession> failed(CurrentSession current, ActivationFlow flow, ServiceProblemException problem) {
        if (!COUNTED.contains(problem.type())) {
            return fail(current, flow, problem.type(), flow.attemptsLeft());
        }
        return provisioning.activation(flow.registrationId()).onFailure().recoverWithNull()
                .chain(state -> fail(current, flow, problem.type(), state == null ? null : state.attemptsLeft()));
    }

    private Uni<CurrentSession> fail(CurrentSession current, ActivationFlow flow, String error, Integer attemptsLeft) {
        return sessions.save(current, current.session().withFlow(flow.failed(error, attemptsLeft)));
    }
}
