package org.countersign.visualcodes.codec;

import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;

/** QR error-correction levels: about 7, 15, 25 and 30 % of the symbol can be lost. */
public enum Ecc {
    L(ErrorCorrectionLevel.L),
    M(ErrorCorrectionLevel.M),
    Q(ErrorCorrectionLevel.Q),
    H(ErrorCorrectionLevel.H);

    private final ErrorCorrectionLevel level;

    Ecc(ErrorCorrectionLevel level) {
        this.level = level;
    }

    public ErrorCorrectionLevel level() {
        return level;
    }
}
