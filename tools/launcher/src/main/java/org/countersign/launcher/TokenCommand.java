package org.countersign.launcher;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.countersign.stack.DevKeys;
import org.countersign.stack.DevTokens;

/** Prints only a development token, so that TOKEN=$(./countersign token) works. */
final class TokenCommand {

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)([smhd])");

    private final Workspace workspace;

    TokenCommand(Workspace workspace) {
        this.workspace = workspace;
    }

    int run(List<String> args) {
        String domain = DevTokens.DEFAULT_DOMAIN;
        String subject = "countersign-dev";
        List<String> scopes = new ArrayList<>();
        Duration ttl = Duration.ofHours(12);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--domain" -> domain = value(args, ++i, arg);
                case "--subject" -> subject = value(args, ++i, arg);
                case "--scope" -> scopes.add(value(args, ++i, arg));
                case "--ttl" -> ttl = duration(value(args, ++i, arg));
                default -> throw new UsageException("Unknown option '" + arg
                        + "'. Usage: ./countersign token [--domain D] [--scope S ...] [--ttl 30m|12h|PT1H] [--subject S]");
            }
        }
        for (String scope : scopes) {
            if (!DevTokens.ALL_SCOPES.contains(scope)) {
                throw new UsageException("Unknown scope '" + scope + "'; the scopes are " + String.join(", ", DevTokens.ALL_SCOPES));
            }
        }
        if (!domain.matches("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?")) {
            throw new UsageException("'" + domain + "' is not a lower-case domain name");
        }
        DevKeys keys = DevKeys.in(workspace.keys());
        System.out.println(DevTokens.mint(keys.privateKey(), subject, domain,
                scopes.isEmpty() ? DevTokens.ALL_SCOPES : scopes, ttl));
        return 0;
    }

    private static String value(List<String> args, int index, String option) {
        if (index >= args.size()) {
            throw new UsageException(option + " needs a value");
        }
        return args.get(index);
    }

    static Duration duration(String text) {
        Matcher m = SHORT_DURATION.matcher(text.toLowerCase(Locale.ROOT));
        Duration ttl;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            ttl = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } else {
            try {
                ttl = Duration.parse(text);
            } catch (DateTimeParseException e) {
                throw new UsageException("--ttl takes 90s, 30m, 12h, 7d or an ISO 8601 duration (PT1H), not '" + text + "'");
            }
        }
        if (ttl.isZero() || ttl.isNegative() || ttl.compareTo(Duration.ofDays(30)) > 0) {
            throw new UsageException("--ttl must be positive and at most 30 days");
        }
        return ttl;
    }
}
