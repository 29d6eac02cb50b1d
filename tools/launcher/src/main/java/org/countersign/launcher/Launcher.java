package org.countersign.launcher;

import java.util.Arrays;
import java.util.List;
import org.countersign.stack.StackException;

/** The Java behind ./countersign. */
public final class Launcher {

    private Launcher() {
    }

    public static void main(String[] args) {
        Workspace workspace = Workspace.fromEnvironment();
        List<String> rest = args.length == 0 ? List.of() : Arrays.asList(args).subList(1, args.length);
        String command = args.length == 0 ? "help" : args[0];
        int rc;
        try {
            rc = switch (command) {
                case "up" -> new UpCommand(workspace).run(rest);
                case "down" -> new DownCommand(workspace).run();
                case "status" -> new StatusCommand(workspace).run();
                case "token" -> new TokenCommand(workspace).run(rest);
                case "bench" -> new BenchCommand(workspace).run(rest);
                case "events" -> new EventsCommand(workspace).run(rest);
                case "help", "-h", "--help" -> help();
                default -> {
                    System.err.println("Unknown command '" + command + "'.");
                    help();
                    yield 2;
                }
            };
        } catch (UsageException e) {
            System.err.println(e.getMessage());
            rc = 2;
        } catch (StackException e) {
            System.err.println("countersign: " + e.getMessage());
            rc = 1;
        } catch (Exception e) {
            System.err.println("countersign: " + command + " failed: " + e);
            rc = 1;
        }
        System.exit(rc);
    }

    private static int help() {
        System.out.println("""
                Usage: ./countersign COMMAND

                  up                 build what is missing, start Kafka, PostgreSQL, Redis, the five services and the portal;
                                     Ctrl-C stops everything. --detach returns once all are ready.
                  down               stop a running suite (from another terminal)
                  status             what runs and whether it is healthy
                  token [--domain D] [--scope S ...] [--ttl T] [--subject S]
                                     print a development JWT (default: example.com, every scope, 12h)
                  logs SERVICE [-f]  show a service's log (registration, provisioning, visual-codes, otp, push, portal,
                                     kafka, postgres, redis); -f follows it
                  events [TOPIC ...] [--from-beginning]
                                     follow the suite's events and print each one readably
                  bench [NAME] [--json]
                                     list the benchmarks, or run one against the running suite
                  device COMMAND ... the device simulator: scan, activate, otp, sign, list, remove
                                     (./countersign device help)
                  agent COMMAND ...  the reference logon agent: fetch, login, report, status of offline
                                     authentication data (./countersign agent help)

                Data lives in $COUNTERSIGN_DATA_DIR (default: .countersign in the repository).""");
        return 0;
    }
}
