package org.countersign.device;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.countersign.protocol.TransactionField;

/**
 * {@code ./countersign device ...}: the device simulator as a command. Every user error ends with
 * one line on standard error and an exit code (see {@link DeviceException.Kind}), never a stack trace.
 */
public final class DeviceCommand {

    /** An error that is a bug, not the user's: exit code 70 (EX_SOFTWARE of sysexits.h). */
    static final int INTERNAL_ERROR = 70;

    private static final String PREFIX = "countersign device: ";

    private final PrintStream out;
    private final Map<String, String> env;

    private DeviceCommand(PrintStream out, Map<String, String> env) {
        this.out = out;
        this.env = env;
    }

    public static void main(String[] args) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, out, err, System.getenv()));
    }

    /** Runs one command line; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        try {
            return new DeviceCommand(out, env).execute(Arguments.parse(args));
        } catch (DeviceException e) {
            err.println(PREFIX + e.getMessage());
            if (e.kind() == DeviceException.Kind.USAGE && e.getMessage().startsWith("Usage")) {
                err.println("Run './countersign device help' for the commands.");
            }
            return e.kind().exitCode();
        } catch (RuntimeException e) {
            err.println(PREFIX + "unexpected error (a bug; please report it): " + e);
            if (env.containsKey("COUNTERSIGN_DEBUG")) {
                e.printStackTrace(err);
            }
            return INTERNAL_ERROR;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int execute(Arguments a) {
        if (a.help || a.command.equals("help")) {
            help();
            return 0;
        }
        a.checkOptionsFor(a.command);
        DeviceSimulator device = new DeviceSimulator(new ProfileStore(ProfileStore.defaultFile(env)));
        switch (a.command) {
            case "scan" -> scan(device, a);
            case "activate" -> activate(device, a);
            case "otp" -> otp(device, a);
            case "sign" -> sign(device, a);
            case "enroll" -> enroll(device, a, false);
            case "migrate" -> enroll(device, a, true);
            case "jwt" -> jwt(device, a);
            case "listen", "pending" -> push(device, a);
            case "list" -> list(device, a);
            case "remove" -> remove(device, a);
            default -> throw usage("Unknown command '" + Display.safe(a.command) + "'.");
        }
        return 0;
    }

    private void scan(DeviceSimulator device, Arguments a) {
        String message = DeviceInput.read(a.single("scan <image|url|uri>"), a.token);
        DeviceSimulator.Scan scan = device.scan(message, a.profile);
        if (a.quiet) {
            out.println(scan.deviceCode());
            return;
        }
        Profile p = scan.profile();
        out.println("Issuer:       " + (p.issuer() == null ? "(none)" : Display.safe(p.issuer())));
        out.println("Account:      " + (p.account() == null ? "(none)" : Display.safe(p.account())));
        out.println("Serial:       " + p.sn() + "   Registration: " + p.rid());
        out.println("Profile:      " + p.name() + " (waiting for activation message 2)");
        out.println("Device code:  " + scan.deviceCode());
        out.println();
        out.println("Type the device code into the application. Then show the device activation message 2:");
        out.println("  ./countersign device activate <image|url|uri>" + profileOption(a));
    }

    private void activate(DeviceSimulator device, Arguments a) {
        String message = DeviceInput.read(a.single("activate <image|url|uri>"), a.token);
        DeviceSimulator.Activation activation = device.activate(message, a.profile);
        if (a.quiet) {
            out.println(activation.signature());
            return;
        }
        Profile p = activation.profile();
        out.println((activation.again() ? "Profile " + p.name() + " is already active" : "Activated profile " + p.name())
                + ": instance " + p.iid() + ", OTPs " + p.otp().format() + ".");
        out.println("Signature:    " + activation.signature());
        out.println();
        out.println("Type the signature into the application to complete the activation. Then:");
        out.println("  ./countersign device otp" + (a.profile == null ? "" : " --profile " + p.name()));
    }

    private void otp(DeviceSimulator device, Arguments a) {
        a.none("otp");
        DeviceSimulator.OtpCode otp = device.otpCode(a.profile, null);
        if (a.quiet) {
            out.println(otp.code());
            return;
        }
        Profile p = otp.profile();
        String detail = otp.validUntil() != null
                ? "valid for " + Math.max(1, Duration.between(device.now(), otp.validUntil()).toSeconds()) + " more seconds"
                : "counter " + otp.movingFactor();
        out.println("OTP: " + otp.code() + "   (profile " + p.name() + ", " + p.otp().format() + ", " + detail + ")");
    }

    private void sign(DeviceSimulator device, Arguments a) {
        String message = DeviceInput.read(a.single("sign <image|url|uri>"), a.token);
        SignedTransaction signed = device.sign(message, a.profile);
        boolean expired = signed.expired(device.now());
        if (a.quiet) {
            out.println(signed.response());
            return;
        }
        out.println("Signing request for profile " + signed.profile() + " (instance " + signed.iid() + ", challenge "
                + signed.cid() + ")");
        out.println("Message:");
        for (String line : signed.message().split("\n", -1)) {
            out.println("  " + Display.safe(line));
        }
        if (signed.fields().isEmpty()) {
            out.println("Fields:       (none)");
        } else {
            out.println("Fields:");
            int width = 0;
            for (TransactionField field : signed.fields()) {
                width = Math.max(width, Display.safe(field.name()).codePointCount(0, Display.safe(field.name()).length()));
            }
            for (TransactionField field : signed.fields()) {
                String name = Display.safe(field.name());
                out.println("  " + name + ":" + " ".repeat(width - name.codePointCount(0, name.length()) + 1)
                        + Display.safe(field.value()));
            }
        }
        out.println("Expires:      " + signed.expiresAt() + (expired ? "  (EXPIRED: the server will refuse the response)" : ""));
        out.println("Data hash:    " + signed.dataHash());
        out.println("Response:     " + signed.response());
        out.println();
        out.println("Type the response into the application only if the message and fields are what you mean to approve.");
    }

    private void enroll(DeviceSimulator device, Arguments a, boolean migration) {
        String command = migration ? "migrate" : "enroll";
        String argument = a.single(command + " <image|url|uri>");
        EnrolmentOptions options = new EnrolmentOptions(a.value("--platform", EnrolmentOptions.DEFAULT.platform()),
                a.value("--push-token", null), a.value("--device-name", null), a.biometric);
        String message = DeviceInput.read(argument, a.token);
        OnlineEnrolment.Enrolled enrolled = device.enrolment(message, a.profile, options, migration);
        Profile p = enrolled.profile();
        if (a.quiet) {
            out.println(p.iid());
            return;
        }
        OnlineIdentity online = p.online();
        out.println("Issuer:       " + (p.issuer() == null ? "(none)" : Display.safe(p.issuer())));
        out.println("Account:      " + (p.account() == null ? "(none)" : Display.safe(p.account())));
        out.println("Serial:       " + p.sn() + "   Registration: " + online.registrationId());
        out.println("Instance:     " + p.iid() + "   OTPs " + p.otp().format() + (migration ? " (kept)" : ""));
        out.println("Certificate:  serial " + online.certificateSerial() + ", valid until " + online.certificateNotAfter());
        out.println("Push channel: " + (online.pushChannel() == null ? "(none)" : online.pushChannel()));
        out.println("Profile:      " + p.name() + " (online, platform " + online.platform() + ")");
        if (enrolled.again()) {
            out.println("Already " + (migration ? "migrated" : "activated") + " with this code; nothing was sent.");
        } else if (migration) {
            out.println("Migrated: the instance is online; its secret, OTPs and offline signing are unchanged.");
        } else {
            out.println("Activated.");
        }
        out.println();
        out.println("OTPs: ./countersign device otp" + profileOption(a) + "   Device token: ./countersign device jwt" + profileOption(a));
    }

    private void jwt(DeviceSimulator device, Arguments a) {
        a.none("jwt");
        long ttl;
        String text = a.value("--ttl", String.valueOf(DeviceTokens.DEFAULT_TTL_SECONDS));
        try {
            ttl = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw usage("--ttl is a number of seconds, 1 to 300, not '" + Display.safe(text) + "'.");
        }
        out.println(device.jwt(a.profile, a.value("--audience", DeviceTokens.DEFAULT_AUDIENCE), ttl));
    }

    private void push(DeviceSimulator device, Arguments a) {
        a.none(a.command);
        String approve = a.value("--approve", null);
        if (approve != null && a.deny) {
            throw usage("--approve and --deny together: choose one.");
        }
        Integer number = null;
        if (approve != null && !approve.equals("yes")) {
            try {
                number = Integer.parseInt(approve);
            } catch (NumberFormatException e) {
                throw usage("--approve takes the number the application shows (or yes for a request without numbers), not '"
                        + Display.safe(approve) + "'.");
            }
        }
        PushCommands.Answering answering = new PushCommands.Answering(approve != null, number, a.deny);
        PushCommands commands = new PushCommands(device.push(a.profile, a.value("--url", null)), out,
                new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8)), java.time.Clock.systemUTC(),
                a.quiet);
        if (a.command.equals("pending")) {
            commands.pending(answering);
            return;
        }
        Duration wait = null;
        String waitText = a.value("--wait", null);
        if (waitText != null) {
            try {
                wait = Duration.ofSeconds(Long.parseLong(waitText));
            } catch (NumberFormatException e) {
                throw usage("--wait is a number of seconds, not '" + Display.safe(waitText) + "'.");
            }
        }
        try {
            commands.listen(answering, a.once, wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void list(DeviceSimulator device, Arguments a) {
        a.none("list");
        List<Profile> profiles = device.profiles();
        if (a.quiet) {
            profiles.forEach(p -> out.println(p.name()));
            return;
        }
        Instant now = device.now();
        if (profiles.isEmpty()) {
            out.println("No profiles yet (" + device.store().file() + "). Start with: ./countersign device scan <image|url|uri> "
                    + "(offline) or enroll <image|url|uri> (online)");
            return;
        }
        out.println("Profiles in " + device.store().file() + " (secrets sealed with " + device.store().keyFile().getFileName()
                + "; keep both private):");
        for (Profile p : profiles) {
            String who = java.util.stream.Stream.of(p.issuer(), p.account()).filter(java.util.Objects::nonNull).map(Display::safe)
                    .collect(java.util.stream.Collectors.joining(" / "));
            String whoPart = who.isBlank() ? "" : ", " + who.strip();
            String mode = p.mode().name().toLowerCase(java.util.Locale.ROOT);
            String state = p.state().name().toLowerCase(java.util.Locale.ROOT);
            OnlineIdentity online = p.online();
            String detail = switch (p.state()) {
                case PENDING -> "registration " + p.rid() + ", serial " + p.sn() + whoPart + ", scanned "
                        + age(Duration.between(p.createdAt(), now)) + " ago";
                case ENROLLING -> "instance " + p.iid() + ", serial " + p.sn() + whoPart + ", platform " + online.platform()
                        + ", waiting for the confirmation (run enroll again with its code)";
                case ACTIVE -> "instance " + p.iid() + ", " + p.otp().format()
                        + (p.otp().kind() == org.countersign.protocol.OtpPolicy.Kind.HOTP ? " (next counter " + p.hotpCounter() + ")" : "")
                        + ", serial " + p.sn()
                        + (p.isOnline() ? ", platform " + online.platform() + ", certificate until " + online.certificateNotAfter()
                                : online != null ? ", moving online (run migrate again with its code)" : "")
                        + whoPart;
            };
            out.printf("  %-20s %-9s %-7s %s%n", p.name(), state, p.state() == Profile.State.ENROLLING ? "online" : mode, detail);
        }
    }

    private void remove(DeviceSimulator device, Arguments a) {
        String name = a.single("remove NAME");
        if (!device.remove(name)) {
            throw new DeviceException(DeviceException.Kind.USAGE, "No profile named " + Display.safe(name) + ".");
        }
        if (!a.quiet) {
            out.println("Removed profile " + name + " and its secrets.");
        }
    }

    private static String age(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s < 120 ? s + " s" : s < 7200 ? s / 60 + " min" : s / 3600 + " h";
    }

    private static String profileOption(Arguments a) {
        return a.profile == null ? "" : " --profile " + a.profile;
    }

    private void help() {
        out.println("""
                Usage: ./countersign device COMMAND [ARGUMENT] [OPTIONS]

                A simulated authenticator (docs/protocol.md): a hardware token with a camera and no
                network (scan, activate), or a mobile app with a device key (enroll, migrate, jwt).

                  scan <image|url|uri>      read activation message 1; shows the issuer, the account and the
                                            device code to type into the application
                  activate <image|url|uri>  read activation message 2; shows the signature that completes
                                            the activation
                  enroll <image|url|uri>    online activation: read the enrolment code (registration of type
                                            online), make a device key, enrol it with the server the code
                                            names and confirm; shows the instance
                  migrate <image|url|uri>   move an active offline profile online (registration of type
                                            migrate): the instance keeps its secret and OTPs
                  jwt                       print a fresh device token for an online profile, e.g.
                                            curl -H "Authorization: Bearer $(./countersign device jwt)" ...
                  listen                    hold the push channel of an online profile open; show each push
                                            request (message, fields, numbers) and answer it, signed with the
                                            device key: type the number the application shows, or d to deny
                  pending                   poll for push requests instead (a device without a channel);
                                            with --approve or --deny, answer the oldest
                  otp                       show the current OTP (for HOTP, the next one)
                  sign <image|url|uri>      read a signing request; shows the message, the fields and the
                                            response to type into the application
                  list                      the profiles on this device
                  remove NAME               forget a profile and its secrets
                  help                      this text

                Options:
                  --profile NAME   the profile to use. Without it: scan names the profile after the serial
                                   number, activate finds the profile that waits for that activation, otp
                                   uses the only active profile, sign the profile the request is for.
                  --token TOKEN    bearer token for http(s) URLs, e.g. --token "$(./countersign token)"
                  --quiet, -q      print only the code (device code, signature, OTP or response; for
                                   enroll and migrate the instance id)
                enroll and migrate:
                  --platform P     android, ios, web or other (default: other)
                  --push-token T   an FCM or APNs token to give the server (default: none)
                  --device-name N  a name for the device in the server's lists (default: none)
                  --biometric      say that the key is protected by biometrics (default: not)
                listen and pending:
                  --approve N      approve with the number N the application shows (yes: a request without
                                   numbers); the device refuses a number it was not offered
                  --deny           deny
                  --once           (listen) stop after the first answer
                  --wait SECONDS   (listen) give up when no request came within this time
                  --url URL        the push-service, http://HOST:PORT (default: from the profile's push channel)
                jwt:
                  --ttl SECONDS    lifetime, 1 to 300 (default: 300)
                  --audience AUD   the audience (default: countersign-push)

                <image|url|uri> is a PNG or JPEG file with a QR or colour code, an http(s) URL of such an
                image, a countersign:// URI, or - for standard input (an image or a URI).

                Profiles are kept in $COUNTERSIGN_DATA_DIR/device/profiles.json (default:
                ./.countersign/device/profiles.json); its secrets are sealed with the key in
                profiles.json.key beside it. Both have permissions 600; keep them private.
                Exit codes: 0 done; 1 the device refused the message or the server's answer; 2 wrong usage,
                or no such profile; 3 the image, file or URL could not be read; 4 the profile file could not
                be used; 5 the server could not be reached or refused (its problem detail is shown).""");
        out.println("Profile file now: " + ProfileStore.defaultFile(env));
    }

    private static DeviceException usage(String message) {
        return new DeviceException(DeviceException.Kind.USAGE, message.startsWith("Usage") ? message
                : message + " Run './countersign device help' for the commands.");
    }

    /** The command line: one command, its positional arguments, and the options anywhere. */
    private static final class Arguments {
        String command = "help";
        final List<String> positional = new ArrayList<>();
        String profile;
        String token;
        final Map<String, String> values = new java.util.HashMap<>();
        boolean quiet;
        boolean help;
        boolean biometric;
        boolean deny;
        boolean once;

        /** Options that take a value, besides --profile and --token. */
        private static final List<String> VALUE_OPTIONS = List.of("--platform", "--push-token", "--device-name", "--ttl",
                "--audience", "--url", "--approve", "--wait");

        static Arguments parse(String[] args) {
            Arguments a = new Arguments();
            boolean commandSeen = false;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                int eq = arg.startsWith("--") ? arg.indexOf('=') : -1;
                String option = eq > 0 ? arg.substring(0, eq) : arg;
                if (option.equals("--profile") || option.equals("--token") || VALUE_OPTIONS.contains(option)) {
                    if (eq > 0) {
                        a.set(option, arg.substring(eq + 1));
                    } else if (i + 1 >= args.length) {
                        throw usage(arg + " needs a value.");
                    } else {
                        a.set(option, args[++i]);
                    }
                } else if (arg.equals("--biometric")) {
                    a.biometric = true;
                } else if (arg.equals("--deny")) {
                    a.deny = true;
                } else if (arg.equals("--once")) {
                    a.once = true;
                } else if (arg.equals("--quiet") || arg.equals("-q")) {
                    a.quiet = true;
                } else if (arg.equals("--help") || arg.equals("-h")) {
                    a.help = true;
                } else if (arg.startsWith("-") && !arg.equals("-")) {
                    throw usage("Unknown option '" + Display.safe(arg) + "'.");
                } else if (!commandSeen) {
                    a.command = arg;
                    commandSeen = true;
                } else {
                    a.positional.add(arg);
                }
            }
            return a;
        }

        private void set(String option, String value) {
            if (VALUE_OPTIONS.contains(option)) {
                if (values.put(option, value) != null) {
                    throw usage(option + " is given twice.");
                }
            } else if (option.equals("--profile")) {
                if (profile != null) {
                    throw usage("--profile is given twice.");
                }
                profile = Profile.requireName(value);
            } else {
                if (token != null) {
                    throw usage("--token is given twice.");
                }
                if (value.isBlank()) {
                    throw usage("--token is empty (did ./countersign token fail?).");
                }
                token = value;
            }
        }

        /** Options of one command given to another are refused, rather than silently ignored. */
        void checkOptionsFor(String command) {
            List<String> allowed = switch (command) {
                case "enroll", "migrate" -> List.of("--platform", "--push-token", "--device-name", "--biometric");
                case "jwt" -> List.of("--ttl", "--audience");
                case "listen" -> List.of("--url", "--approve", "--deny", "--once", "--wait");
                case "pending" -> List.of("--url", "--approve", "--deny");
                default -> List.of();
            };
            List<String> given = new ArrayList<>(values.keySet());
            if (biometric) {
                given.add("--biometric");
            }
            if (deny) {
                given.add("--deny");
            }
            if (once) {
                given.add("--once");
            }
            for (String option : given) {
                if (!allowed.contains(option)) {
                    throw usage(option + " is not an option of " + Display.safe(command) + ".");
                }
            }
        }

        String value(String option, String otherwise) {
            return values.getOrDefault(option, otherwise);
        }

        String single(String usage) {
            if (positional.size() != 1) {
                throw usage("Usage: ./countersign device " + usage + (positional.isEmpty() ? "" : " (one argument, not "
                        + positional.size() + ")"));
            }
            return positional.get(0);
        }

        void none(String command) {
            if (!positional.isEmpty()) {
                throw usage("Usage: ./countersign device " + command + " [--profile NAME] (no other arguments)");
            }
        }
    }
}
