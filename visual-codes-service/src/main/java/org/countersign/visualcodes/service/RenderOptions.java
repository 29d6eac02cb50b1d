package org.countersign.visualcodes.service;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.countersign.visualcodes.codec.CodeFormat;
import org.countersign.visualcodes.codec.Ecc;
import org.countersign.visualcodes.config.VisualCodesConfig;
import org.countersign.visualcodes.domain.OutputType;
import org.countersign.visualcodes.domain.VisualCodeProblem;
import org.countersign.web.ProblemException;

/**
 * A render request's options after defaults and range checks. Values are matched without regard to
 * case; anything unknown is refused with the list of what is known, never silently defaulted.
 */
record RenderOptions(CodeFormat format, OutputType output, int size, Ecc ecc, int margin) {

    static final int MIN_MARGIN = 4;

    static RenderOptions of(String format, String output, String size, String ecc, String margin,
                            VisualCodesConfig config) {
        VisualCodesConfig.Defaults defaults = config.defaults();
        CodeFormat f = choice(format, CodeFormat.class, defaults.format(), VisualCodeProblem.UNSUPPORTED_FORMAT, "format");
        OutputType o = choice(output, OutputType.class, defaults.output(), VisualCodeProblem.UNSUPPORTED_OUTPUT, "output");
        Ecc e = choice(ecc, Ecc.class, defaults.ecc(), VisualCodeProblem.UNSUPPORTED_ECC, "ecc");
        int s = whole(size, defaults.size(), config.size().min(), config.size().max(),
                VisualCodeProblem.SIZE_OUT_OF_RANGE, "size", "pixels");
        int m = whole(margin, defaults.margin(), MIN_MARGIN, config.maxMargin(),
                VisualCodeProblem.MARGIN_OUT_OF_RANGE, "margin", "modules");
        return new RenderOptions(f, o, s, e, m);
    }

    private static <E extends Enum<E>> E choice(String value, Class<E> type, E fallback, VisualCodeProblem problem,
                                                String field) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value.trim())) {
                return constant;
            }
        }
        String known = Arrays.stream(type.getEnumConstants())
                .map(c -> type == Ecc.class ? c.name() : c.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
        throw new ProblemException(problem, "The " + field + " must be one of: " + known);
    }

    private static int whole(String value, int fallback, int min, int max, VisualCodeProblem problem, String field,
                             String unit) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            parsed = Integer.MIN_VALUE;
        }
        if (parsed < min || parsed > max) {
            throw new ProblemException(problem,
                    "The " + field + " must be a whole number of " + unit + " from " + min + " to " + max);
        }
        return parsed;
    }
}
