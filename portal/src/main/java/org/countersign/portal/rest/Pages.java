package org.countersign.portal.rest;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import java.util.List;

/** The portal's pages (src/main/resources/templates), checked against these parameters when Quarkus builds. */
@CheckedTemplate
public final class Pages {

    private Pages() {
    }

    public static native TemplateInstance signIn(Chrome chrome, String userId, String error);

    public static native TemplateInstance devices(Chrome chrome, List<Rows.DeviceRow> devices, boolean pushAvailable,
                                                  List<Rows.ApprovalRow> approvals, String approvalsState, String notice,
                                                  boolean activating);

    public static native TemplateInstance remove(Chrome chrome, Rows.DeviceRow device);

    public static native TemplateInstance choose(Chrome chrome, List<Rows.ChoiceRow> choices, String error);

    public static native TemplateInstance activation(Chrome chrome, Rows.StepRow step);

    public static native TemplateInstance error(Chrome chrome, String heading, String message, String incident);
}
