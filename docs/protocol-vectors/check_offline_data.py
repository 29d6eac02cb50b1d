#!/usr/bin/env python3
"""Recomputes offline-data.json from its inputs with Python's json/hmac/hashlib only, independently of
the Java code that generated it: K_otp (HKDF), the OTPs (RFC 4226/6238), K_off (PBKDF2-HMAC-SHA256),
the tags and the bundle JSON; then replays every agent check and every bundle an agent reads.
Usage: python3 check_offline_data.py [offline-data.json]"""
import base64, hashlib, hmac, json, re, sys

MIN_ITERATIONS, MAX_ITERATIONS, MAX_STEPS = 100_000, 10_000_000, 100_000
ID = re.compile(r"[A-Za-z0-9-]{1,64}")
OTP = re.compile(r"totp:(sha1|sha256|sha512):([678]):([1-9][0-9]{0,9})")
INTEGER = re.compile(r"0|[1-9][0-9]{0,14}")
HASHES = {"sha1": (hashlib.sha1, 20), "sha256": (hashlib.sha256, 32), "sha512": (hashlib.sha512, 64)}


def hkdf(ikm, info, length):
    prk = hmac.new(b"\0" * 32, ikm, hashlib.sha256).digest()
    okm, t, i = b"", b"", 1
    while len(okm) < length:
        t = hmac.new(prk, t + info + bytes([i]), hashlib.sha256).digest()
        okm, i = okm + t, i + 1
    return okm[:length]


def hotp(key, alg, counter, digits):
    h = hmac.new(key, counter.to_bytes(8, "big"), HASHES[alg][0]).digest()
    o = h[-1] & 0x0F
    return str((int.from_bytes(h[o:o + 4], "big") & 0x7FFFFFFF) % 10 ** digits).zfill(digits)


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def unb64u(s):
    if not isinstance(s, str) or not re.fullmatch(r"[A-Za-z0-9_-]*", s) or len(s) % 4 == 1:
        raise Refused("not base64url")
    b = base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
    if b64u(b) != s:
        raise Refused("not canonical base64url")
    return b


def k_off(pin, salt, iterations):
    return hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), salt, iterations, 32)


def tag(key, agent_id, t, otp):
    return hmac.new(key, ("countersign/v1/offline|%s|%d|%s" % (agent_id, t, otp)).encode("utf-8"), hashlib.sha256).digest()[:8]


def bundle_json(b):
    return json.dumps(b, ensure_ascii=False, separators=(",", ":"))


class Refused(Exception):
    pass


def no_duplicates(pairs):
    names = [k for k, _ in pairs]
    if len(names) != len(set(names)):
        raise Refused("duplicate member")
    return dict(pairs)


class Number(str):
    """A JSON number kept as written, so that 1e5 and 100000.0 are not taken for 100000."""


def parse_bundle(text):
    """An agent's reading of a bundle: a dict of its members, or Refused."""
    doc = json.loads(text, object_pairs_hook=no_duplicates, parse_int=Number, parse_float=Number,
                     parse_constant=lambda c: (_ for _ in ()).throw(Refused(c)))
    if not isinstance(doc, dict):
        raise Refused("not an object")

    def integer(name):
        v = doc.get(name)
        if not isinstance(v, Number) or not INTEGER.fullmatch(v):
            raise Refused(name)
        return int(v)

    def string(name):
        v = doc.get(name)
        if not isinstance(v, str) or isinstance(v, Number):
            raise Refused(name)
        return v

    if integer("v") != 1:
        raise Refused("v")
    user_id = string("userId")
    if not 1 <= len(user_id.encode("utf-16-le")) // 2 <= 255:
        raise Refused("userId")
    for name in ("agentId", "serialNumber"):
        if not ID.fullmatch(string(name)):
            raise Refused(name)
    m = OTP.fullmatch(string("otp"))
    if not m:
        raise Refused("otp")
    pin_length = integer("pinLength")
    if not 1 <= pin_length <= 64:
        raise Refused("pinLength")
    if len(unb64u(string("salt"))) != 16:
        raise Refused("salt")
    if not MIN_ITERATIONS <= integer("iterations") <= MAX_ITERATIONS:
        raise Refused("iterations")
    first = integer("firstStep")
    tags = unb64u(string("tags"))
    if not tags or len(tags) % 8 or len(tags) // 8 > MAX_STEPS or first + len(tags) // 8 > 2 ** 53 - 1:
        raise Refused("tags")
    return {"userId": user_id, "agentId": doc["agentId"], "alg": m.group(1), "digits": int(m.group(2)),
            "period": int(m.group(3)), "pinLength": pin_length, "salt": unb64u(doc["salt"]),
            "iterations": integer("iterations"), "firstStep": first, "tags": tags}


def agent_check(b, typed, now, used):
    """protocol.md step 4: the first pinLength characters are the PIN, the rest exactly `digits` digits;
    the current step, then the one before, then the one after; never a used step."""
    current = now // b["period"]
    n = len(b["tags"]) // 8
    covered = lambda t: b["firstStep"] <= t < b["firstStep"] + n
    order = [current, current - 1, current + 1]
    if not any(covered(t) for t in order):
        return ("no-data-for-this-time", None)
    pin, otp = typed[:b["pinLength"]], typed[b["pinLength"]:]
    if len(typed) != b["pinLength"] + b["digits"] or not re.fullmatch(r"[0-9]+", otp):
        return ("rejected", None)
    key = k_off(pin, b["salt"], b["iterations"])
    for t in order:
        i = t - b["firstStep"]
        if covered(t) and t not in used and hmac.compare_digest(tag(key, b["agentId"], t, otp), b["tags"][8 * i:8 * i + 8]):
            return ("accepted", t)
    return ("rejected", None)


def main(path):
    data = json.load(open(path, encoding="utf-8"))
    failures, checked = [], 0

    def expect(what, want, got):
        nonlocal checked
        checked += 1
        if want != got:
            failures.append("%s: expected %r, got %r" % (what, want, got))

    for v in data["vectors"]:
        i, o = v["input"], v["output"]
        m = OTP.fullmatch(i["otp"])
        alg, digits = m.group(1), int(m.group(2))
        kotp = hkdf(bytes.fromhex(i["is"]), b"countersign/v1/otp", HASHES[alg][1])
        expect(v["id"] + " kOtp", o["kOtp"], kotp.hex())
        salt = bytes.fromhex(i["salt"])
        key = k_off(i["pin"], salt, i["iterations"])
        expect(v["id"] + " kOff", o["kOff"], key.hex())
        expect(v["id"] + " pinLength", o["pinLength"], len(i["pin"]))
        tags = b""
        for n, s in enumerate(o["steps"]):
            t = i["firstStep"] + n
            code = hotp(kotp, alg, t, digits)
            expect("%s t" % v["id"], s["t"], t)
            expect("%s OTP at %d" % (v["id"], t), s["otp"], code)
            expect("%s message at %d" % (v["id"], t), s["message"], "countersign/v1/offline|%s|%d|%s" % (i["agentId"], t, code))
            expect("%s tag at %d" % (v["id"], t), s["tag"], tag(key, i["agentId"], t, code).hex())
            tags += tag(key, i["agentId"], t, code)
        expect(v["id"] + " step count", i["steps"], len(o["steps"]))
        expect(v["id"] + " tags", o["tags"], b64u(tags))
        bundle = {"v": 1, "userId": i["userId"], "agentId": i["agentId"], "serialNumber": i["serialNumber"], "otp": i["otp"],
                  "pinLength": len(i["pin"]), "salt": b64u(salt), "iterations": i["iterations"], "firstStep": i["firstStep"],
                  "tags": b64u(tags)}
        expect(v["id"] + " bundle", o["bundle"], bundle_json(bundle))

    bundles = {v["id"]: parse_bundle(v["output"]["bundle"]) for v in data["vectors"]}
    for c in data["agentChecks"]:
        result, step = agent_check(bundles[c["vector"]], c["typed"], c["unixSeconds"], set(c["usedSteps"]))
        expect(c["id"] + " result", c["result"], result)
        expect(c["id"] + " step", c.get("step"), step)

    for c in data["bundleParsing"]:
        try:
            b = parse_bundle(c["bundle"])
            expect(c["id"], c["accepted"], True)
            expect(c["id"] + " steps", (c["firstStep"], c["endStep"]), (b["firstStep"], b["firstStep"] + len(b["tags"]) // 8))
        except (Refused, ValueError):
            expect(c["id"], c["accepted"], False)

    for f in failures:
        print("FAIL", f)
    print("%d checks, %d failed" % (checked, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else __file__.rsplit("/", 1)[0] + "/offline-data.json"))
