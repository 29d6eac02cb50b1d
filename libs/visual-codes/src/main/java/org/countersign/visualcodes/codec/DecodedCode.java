package org.countersign.visualcodes.codec;

/**
 * What an image held. The message can be a secret (an activation password), so {@link #toString()}
 * shows only its length.
 */
public record DecodedCode(String message, CodeFormat format) {

    @Override
    public String toString() {
        return "DecodedCode[format=" + format + ", message=<" + message.length() + " chars>]";
    }
}
