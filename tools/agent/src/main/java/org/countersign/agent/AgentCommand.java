package org.countersign.agent;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.countersign.protocol.OfflineBundle;

/**
 * {@code ./countersign agent ...}: the reference logon agent as a command. What the user types
 * (PIN+OTP) is read from the terminal without echo, or one line from standard input when there is
 * no terminal; never from the command line, where other users of the machine could read it. Every
 * error ends with one line on standard error and an exit code ({@link AgentException.Kind}).
 */
public final class AgentCommand {

    static final int INTERNAL_ERROR = 70;
    private static final String PREFIX = "countersign agent: ";

    private final PrintStream out;
    private final Map<String, String> env;
    private final InputStream in;

    private AgentCommand(PrintStream out, Map<String, String> env, InputStream in) {
        this.out = out;
        this.env = env;
        this.in = in;
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, out, err, System.getenv(), System.in));
    }

    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, InputStream in) {
        try {
            return new AgentCommand(out, env, in).execute(Arguments.parse(args));
        } catch (AgentException e) {
            err.println(PREFIX + e.getMessage());
            return e.kind().exitCode();
        } catch (RuntimeException e) {
            err.println(PREFIX + "unexpected error (a bug; please report it): " + e.getClass().getName());
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
        AgentStore store = new AgentStore(AgentStore.defaultFile(env));
        String url = a.url != null ? a.url : env.getOrDefault("COUNTERSIGN_OTP_URL", "http://localhost:8084");
        String token = a.token != null ? a.token : env.get("COUNTERSIGN_TOKEN");
        LogonAgent agent = new LogonAgent(store, new OtpServiceClient(URI.create(url), token));
        switch (a.command) {
            case "fetch" -> fetch(agent, a);
            case "login" -> login(agent, a);
            case "report" -> report(agent, a);
            case "status" -> status(agent, a);
            default -> throw usage("Unknown command '" + a.command + "'.");
        }
        return 0;
    }

    private void fetch(LogonAgent agent, Arguments a) {
        String user = a.requireUser("fetch");
        char[] typed = readCredential("PIN+OTP for " + user + ": ");
        LogonAgent.Fetched fetched;
        try {
            fetched = agent.fetch(user, typed, a.days, a.serial, Instant.now());
        } finally {
            Arrays.fill(typed, '\0');
        }
        if (a.quiet) {
            return;
        }
        if (fetched.stepsReported() > 0) {
            out.println("Reported " + fetched.stepsReported() + " code(s) used offline.");
        }
        if (fetched.stepsDropped() > 0) {
            out.println("Dropped " + fetched.stepsDropped() + " code(s) used offline with older data (their time is past).");
        }
        OfflineBundle b = fetched.bundle();
        out.println("Offline data for " + user + " (token " + b.serialNumber() + ", " + b.otp().format() + "): valid "
                + b.validFrom() + " to " + b.validUntil() + " (" + b.stepCount() + " codes, " + b.iterations()
                + " PBKDF2 iterations).");
        out.println("Kept in " + agent.store().file() + " (mode 600; no token key, no PIN). Offline: ./countersign agent login"
                + " --user " + user);
    }

    private void login(LogonAgent agent, Arguments a) {
        String user = a.requireUser("login");
        char[] typed = readCredential("PIN+OTP for " + user + ": ");
        LogonAgent.Login login;
        try {
            login = agent.login(user, typed, Instant.now());
        } finally {
            Arrays.fill(typed, '\0');
        }
        if (!a.quiet) {
            out.println("Accepted offline: " + user + " (time step " + login.step() + "; reported when back online with"
                    + " ./countersign agent report).");
        }
    }

    private void report(LogonAgent agent, Arguments a) {
        int steps = agent.report(a.user);
        if (!a.quiet) {
            out.println(steps == 0 ? "Nothing to report." : "Reported " + steps + " code(s) used offline: they now fail online.");
        }
    }

    private void status(LogonAgent agent, Arguments a) {
        AgentStore.State state = agent.state();
        Instant now = Instant.now();
        out.println(java.nio.file.Files.exists(agent.store().file())
                ? "Agent " + state.agentId() + " (" + agent.store().file() + ")"
                : "Agent without an id yet (the first fetch makes one; " + agent.store().file() + ")");
        if (state.users().isEmpty()) {
            out.println("  No offline data yet: ./countersign agent fetch --user USER");
        }
        for (UserData user : state.users().values()) {
            if (a.user != null && !a.user.equals(user.userId())) {
                continue;
            }
            OfflineBundle b = user.bundle();
            Duration left = Duration.between(now, b.validUntil());
            String validity = left.isNegative() ? "EXPIRED at " + b.validUntil()
                    : "valid until " + b.validUntil() + " (" + left.toDays() + " d " + left.toHoursPart() + " h left)";
            out.println("  " + user.userId() + ": token " + b.serialNumber() + " " + b.otp().format() + ", " + validity
                    + ", " + b.iterations() + " PBKDF2 iterations");
            out.println("    used offline: " + user.usedSteps().size() + ", not reported yet: " + user.unreportedSteps().size()
                    + (user.failures() > 0 ? ", wrong attempts in a row: " + user.failures() : "")
                    + (user.failures() >= LogonAgent.MAX_OFFLINE_FAILURES ? " (LOCKED until the next fetch)" : ""));
            out.println("    next refresh allowed from " + user.nextRefreshAt());
        }
    }

    /** The terminal without echo, else one line of standard input. */
    private char[] readCredential(String prompt) {
        Console console = System.console();
        if (console != null && in == System.in) {
            char[] typed = console.readPassword("%s", prompt);
            if (typed == null) {
                throw new AgentException(AgentException.Kind.USAGE, "Nothing was typed.");
            }
            return typed;
        }
        try {
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line = reader.readLine();
            if (line == null || line.isEmpty()) {
                throw new AgentException(AgentException.Kind.USAGE, "Type the PIN followed by the OTP on standard input.");
            }
            return line.toCharArray();
        } catch (IOException e) {
            throw new AgentException(AgentException.Kind.USAGE, "Cannot read standard input: " + e.getMessage());
        }
    }

    private void help() {
        out.println("""
                Usage: ./countersign agent COMMAND [OPTIONS]

                The reference logon agent: a user logs in with PIN+OTP on a computer with no network
                (docs/protocol.md, "Offline authentication data"; docs/otp.md).

                  fetch --user USER [--days N] [--serial SN]
                               online: report what was used, then fetch offline data with the PIN+OTP the user
                               types (checked by the otp-service as a login); at most one refresh a day
                  login --user USER
                               offline: check the PIN+OTP the user types against the offline data
                  report [--user USER]
                               online: report the codes used offline, so that they fail online
                  status [--user USER]
                               what this agent holds, until when, and what is not reported yet
                  help         this text

                Options:
                  --url URL        the otp-service (default $COUNTERSIGN_OTP_URL, else http://localhost:8084)
                  --token TOKEN    bearer token with the otp scope (default $COUNTERSIGN_TOKEN),
                                   e.g. --token "$(./countersign token --scope otp)"
                  --days N         days of offline data to ask for (default 7; the domain's policy caps it)
                  --quiet, -q      print nothing on success

                PIN+OTP is read from the terminal without echo, or as one line of standard input.
                The agent keeps its data in $COUNTERSIGN_DATA_DIR/agent/agent.json (default:
                ./.countersign/agent/agent.json), mode 600: no token key and no PIN.
                Exit codes: 0 done; 1 rejected (or offline logins locked); 2 wrong usage; 3 the otp-service
                could not be reached or refused; 4 the agent file could not be used; 5 no offline data for now.""");
    }

    private static AgentException usage(String message) {
        return new AgentException(AgentException.Kind.USAGE, message + " Run './countersign agent help' for the commands.");
    }

    /** The command line: one command and its options. */
    private static final class Arguments {
        String command = "help";
        String user;
        String serial;
        String url;
        String token;
        int days = LogonAgent.DEFAULT_DAYS;
        boolean quiet;
        boolean help;

        static Arguments parse(String[] args) {
            Arguments a = new Arguments();
            boolean commandSeen = false;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                String option = arg.contains("=") && arg.startsWith("--") ? arg.substring(0, arg.indexOf('=')) : arg;
                switch (option) {
                    case "--user", "--serial", "--url", "--token", "--days" -> {
                        String value;
                        if (!option.equals(arg)) {
                            value = arg.substring(arg.indexOf('=') + 1);
                        } else if (i + 1 < args.length) {
                            value = args[++i];
                        } else {
                            throw usage(option + " needs a value.");
                        }
                        a.set(option, value);
                    }
                    case "--quiet", "-q" -> a.quiet = true;
                    case "--help", "-h" -> a.help = true;
                    default -> {
                        if (arg.startsWith("-") || commandSeen) {
                            throw usage("Unknown option or argument '" + arg.replaceAll("[^ -~]", "?") + "'.");
                        }
                        a.command = arg;
                        commandSeen = true;
                    }
                }
            }
            return a;
        }

        private void set(String option, String value) {
            if (value.isBlank()) {
                throw usage(option + " is empty" + (option.equals("--token") ? " (did ./countersign token fail?)." : "."));
            }
            switch (option) {
                case "--user" -> user = value;
                case "--serial" -> serial = value;
                case "--url" -> url = value;
                case "--token" -> token = value;
                default -> {
                    try {
                        days = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw usage("--days takes a number of days.");
                    }
                    if (days < 1 || days > 366) {
                        throw usage("--days takes 1 to 366.");
                    }
                }
            }
        }

        String requireUser(String command) {
            if (user == null) {
                throw usage("Usage: ./countersign agent " + command + " --user USER");
            }
            return user;
        }
    }
}
