#!/usr/bin/env python3
"""Recomputes offline-signing.json from its inputs with Python's json/hmac/hashlib and the
`cryptography` package (AES-GCM), independently of the Java code that generated it.
Usage: python3 check_offline_signing.py [offline-signing.json]"""
import base64, hashlib, hmac, json, re, sys
from datetime import datetime, timezone
from urllib.parse import quote
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def hkdf(ikm, salt, info, length):
    prk = hmac.new(salt or b"\0" * 32, ikm, hashlib.sha256).digest()
    okm, t, i = b"", b"", 1
    while len(okm) < length:
        t = hmac.new(prk, t + info + bytes([i]), hashlib.sha256).digest()
        okm, i = okm + t, i + 1
    return okm[:length]


def dt(h, digits):
    o = h[-1] & 0x0F
    v = int.from_bytes(h[o:o + 4], "big") & 0x7FFFFFFF
    return str(v % 10 ** digits).zfill(digits)


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def enc(s):
    return quote(s, safe="-._~")


def refusal(name, value):
    """The dataHash rules of protocol.md, with a line break being LF or CR (README.md)."""
    if "=" in name:
        return "NAME_CONTAINS_EQUALS"
    if "\n" in name or "\r" in name:
        return "NAME_CONTAINS_LINE_BREAK"
    if "\n" in value or "\r" in value:
        return "VALUE_CONTAINS_LINE_BREAK"
    return None


def data_hash_input(message, fields):
    return "\n".join([message] + [f["name"] + "=" + f["value"] for f in fields]).encode("utf-8")


def payload_json(message, fields, expires_at):
    return json.dumps({"message": message, "fields": [{"name": f["name"], "value": f["value"]} for f in fields],
                       "expiresAt": expires_at}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?Z")


class Refused(Exception):
    pass


def no_duplicates(pairs):
    names = [k for k, _ in pairs]
    if len(names) != len(set(names)):
        raise Refused("duplicate member")
    return dict(pairs)


def unicode_ok(s):
    try:
        s.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def parse_payload(raw):
    """A device's reading of a decrypted payload: returns (message, fields, expiresAt) or raises."""
    try:
        doc = json.loads(raw.decode("utf-8"), object_pairs_hook=no_duplicates,
                         parse_constant=lambda c: (_ for _ in ()).throw(Refused(c)))
    except (ValueError, UnicodeDecodeError) as e:
        raise Refused(str(e))
    if not isinstance(doc, dict):
        raise Refused("not an object")
    message, fields, expires = doc.get("message"), doc.get("fields"), doc.get("expiresAt")
    if not isinstance(message, str) or not isinstance(fields, list) or not isinstance(expires, str):
        raise Refused("types")
    out = []
    for f in fields:
        if not isinstance(f, dict) or not isinstance(f.get("name"), str) or not isinstance(f.get("value"), str):
            raise Refused("field types")
        if refusal(f["name"], f["value"]) or not unicode_ok(f["name"]) or not unicode_ok(f["value"]):
            raise Refused("field rules")
        out.append({"name": f["name"], "value": f["value"]})
    if not unicode_ok(message) or not TIME.fullmatch(expires):
        raise Refused("message or time")
    try:
        when = datetime.strptime(expires[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    except ValueError:
        raise Refused("no such time")
    return message, out, when.strftime("%Y-%m-%dT%H:%M:%SZ")


def check(doc):
    bad = []

    def expect(vid, what, want, got):
        if want != got:
            bad.append(f"{vid} {what}: file {want!r}, recomputed {got!r}")

    for v in doc["vectors"]:
        i, o, vid = v["input"], v["output"], v["id"]
        IS, nonce = bytes.fromhex(i["is"]), bytes.fromhex(i["nonce"])
        iid, cid, message, fields, expires = i["iid"], i["cid"], i["message"], i["fields"], i["expiresAt"]
        payload = payload_json(message, fields, expires)
        expect(vid, "payloadHex", o["payloadHex"], payload.hex())
        expect(vid, "payload", o["payload"], payload.decode("utf-8"))
        ktx = hkdf(IS, b"", b"countersign/v1/transaction-key", 32)
        ksign = hkdf(IS, b"", b"countersign/v1/signature", 32)
        expect(vid, "kTx", o["kTx"], ktx.hex())
        expect(vid, "kSign", o["kSign"], ksign.hex())
        hin = data_hash_input(message, fields)
        expect(vid, "dataHashInput", o["dataHashInput"], hin.decode("utf-8"))
        dh = b64u(hashlib.sha256(hin).digest())
        expect(vid, "dataHash", o["dataHash"], dh)
        aad = f"countersign/v1/sign|{iid}|{cid}"
        expect(vid, "aad", o["aad"], aad)
        c = AESGCM(ktx).encrypt(nonce, payload, aad.encode())
        expect(vid, "c", o["c"], c.hex())
        expect(vid, "cBase64url", o["cBase64url"], b64u(c))
        expect(vid, "uri", o["uri"], f"countersign://sign?v=1&iid={enc(iid)}&cid={enc(cid)}&n={b64u(nonce)}&c={b64u(c)}")
        expect(vid, "device reads the payload back", (message, fields, expires),
               parse_payload(AESGCM(ktx).decrypt(nonce, c, aad.encode())))
        msg = f"countersign/v1/sign|{cid}|{dh}"
        expect(vid, "responseMessage", o["responseMessage"], msg)
        expect(vid, "r", o["r"], dt(hmac.new(ksign, msg.encode(), hashlib.sha256).digest(), 8))
    for c in doc["dataHashRefusals"]:
        f = c["fields"][0]
        expect(c["id"], "refused", c["refused"], refusal(f["name"], f["value"]))
    for c in doc["payloadParsing"]:
        raw = bytes.fromhex(c["payloadHex"]) if "payloadHex" in c else c["payload"].encode("utf-8")
        try:
            message, fields, expires = parse_payload(raw)
            got = {"message": message, "fields": fields, "expiresAt": expires,
                   "dataHash": b64u(hashlib.sha256(data_hash_input(message, fields)).digest())}
        except Refused:
            got = {"refused": True}
        want = {k: c[k] for k in ("message", "fields", "expiresAt", "dataHash", "refused") if k in c}
        expect(c["id"], "parse", want, got)
    return bad


if __name__ == "__main__":
    with open(sys.argv[1] if len(sys.argv) > 1 else "offline-signing.json", encoding="utf-8") as f:
        doc = json.load(f)
    problems = check(doc)
    print("\n".join(problems) or f"all {len(doc['vectors'])} signing, {len(doc['dataHashRefusals'])} refusal and "
          f"{len(doc['payloadParsing'])} payload parsing vectors agree")
    sys.exit(1 if problems else 0)
