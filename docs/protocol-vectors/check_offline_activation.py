#!/usr/bin/env python3
"""Recomputes offline-activation.json from its inputs with Python's hmac/hashlib and the
`cryptography` package (AES-GCM), independently of the Java code that generated it.
Usage: python3 check_offline_activation.py [offline-activation.json]"""
import base64, hashlib, hmac, json, sys
from urllib.parse import quote
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def hkdf(ikm, salt, info, length):
    prk = hmac.new(salt or b"\0" * 32, ikm, hashlib.sha256).digest()
    okm, t, i = b"", b"", 1
    while len(okm) < length:
        t = hmac.new(prk, t + info + bytes([i]), hashlib.sha256).digest()
        okm, i = okm + t, i + 1
    return okm[:length]


def luhn(payload):
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def dt(h, digits):
    o = h[-1] & 0x0F
    v = int.from_bytes(h[o:o + 4], "big") & 0x7FFFFFFF
    return str(v % 10 ** digits).zfill(digits)


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def enc(s):
    return quote(s, safe="-._~")


def check(doc):
    bad = []
    def expect(vid, what, want, got):
        if want != got:
            bad.append(f"{vid} {what}: file {want!r}, recomputed {got!r}")
    for v in doc["vectors"]:
        i, o, vid = v["input"], v["output"], v["id"]
        ap, dn, IS, nonce = (bytes.fromhex(i[k]) for k in ("ap", "dn", "is", "nonce"))
        rid, iid, sn, otp = i["rid"], i["iid"], i["sn"], i["otp"]
        n = int.from_bytes(dn, "big")
        dc = str(n).zfill(13) + luhn(str(n).zfill(13))
        expect(vid, "dc", o["dc"], dc)
        expect(vid, "dcDisplay", o["dcDisplay"], " ".join([dc[0:4], dc[4:8], dc[8:12], dc[12:]]))
        kact = hkdf(ap, dn, f"countersign/v1/activation|{rid}|{iid}|{sn}".encode(), 32)
        expect(vid, "kAct", o["kAct"], kact.hex())
        aad = f"countersign/v1/am2|{rid}|{iid}|{sn}|{otp}"
        expect(vid, "aad", o["aad"], aad)
        c = AESGCM(kact).encrypt(nonce, IS, aad.encode())
        expect(vid, "c", o["c"], c.hex())
        expect(vid, "am2Uri", o["am2Uri"], f"countersign://activate2?v=1&rid={enc(rid)}&iid={enc(iid)}&sn={enc(sn)}"
               f"&otp={enc(otp)}&n={b64u(nonce)}&c={b64u(c)}")
        am1 = f"countersign://activate?v=1&sn={enc(sn)}&rid={enc(rid)}&ap={base64.b32encode(ap).decode().rstrip('=')}"
        am1 += f"&iss={enc(i['iss'])}" if "iss" in i else ""
        am1 += f"&acct={enc(i['acct'])}" if "acct" in i else ""
        expect(vid, "am1Uri", o["am1Uri"], am1)
        length = {"sha1": 20, "sha256": 32, "sha512": 64}[otp.split(":")[1]]
        kproof = hkdf(IS, b"", b"countersign/v1/activation-proof", 32)
        expect(vid, "kProof", o["kProof"], kproof.hex())
        expect(vid, "kOtp", o["kOtp"], hkdf(IS, b"", b"countersign/v1/otp", length).hex())
        expect(vid, "kSign", o["kSign"], hkdf(IS, b"", b"countersign/v1/signature", 32).hex())
        expect(vid, "kTx", o["kTx"], hkdf(IS, b"", b"countersign/v1/transaction-key", 32).hex())
        msg = f"countersign/v1/activate|{rid}|{iid}|{dc}"
        expect(vid, "sig", o["sig"], dt(hmac.new(kproof, msg.encode(), hashlib.sha256).digest(), 8))
    for c in doc["luhn"]:
        expect(c["id"], "checkDigit", c["checkDigit"], luhn(c["payload"]))
    for c in doc["dt"]:
        expect(c["id"], "dt", c["dt"], dt(bytes.fromhex(c["hmac"]), c["digits"]))
    for c in doc["deviceCodeParsing"]:
        t = c["typed"].replace(" ", "")
        if not (t.isascii() and t.isdigit()):
            got = "WRONG_LENGTH" if t == "" else "NOT_DIGITS"
        elif len(t) != 14:
            got = "WRONG_LENGTH"
        elif luhn(t[:13]) != t[13]:
            got = "CHECK_DIGIT"
        elif int(t[:13]) >= 2 ** 40:
            got = "OUT_OF_RANGE"
        else:
            got = int(t[:13]).to_bytes(5, "big").hex()
        expect(c["id"], "parse", c.get("refused", c.get("dn")), got)
    return bad


if __name__ == "__main__":
    with open(sys.argv[1] if len(sys.argv) > 1 else "offline-activation.json", encoding="utf-8") as f:
        doc = json.load(f)
    problems = check(doc)
    print("\n".join(problems) or f"all {len(doc['vectors'])} activation, {len(doc['luhn'])} Luhn, "
          f"{len(doc['dt'])} DT and {len(doc['deviceCodeParsing'])} parsing vectors agree")
    sys.exit(1 if problems else 0)
