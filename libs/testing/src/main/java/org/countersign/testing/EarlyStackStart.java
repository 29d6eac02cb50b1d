package org.countersign.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Starts the shared embedded stack as the test JVM opens its session, beside Quarkus's build of the
 * application under test instead of after it: PostgreSQL's initdb and Kafka's start-up then overlap the
 * augmentation, which is a few seconds off every module that runs on the stack. Only where the build
 * asks for it ({@code -Dcountersign.test.stack.early=true}, set by the modules whose tests need the
 * stack); {@link SharedStack#get()} waits for this start, or makes its own if this one failed.
 */
public final class EarlyStackStart implements LauncherSessionListener {

    static final String PROPERTY = "countersign.test.stack.early";

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (!Boolean.getBoolean(PROPERTY)) {
            return;
        }
        Thread starter = new Thread(() -> {
            try {
                SharedStack.get();
            } catch (RuntimeException e) {
                // The first test that needs the stack starts it again and fails with the reason.
                System.err.println("The test stack's early start failed: " + e);
            }
        }, "test-stack-early-start");
        starter.setDaemon(true);
        starter.start();
    }
}
