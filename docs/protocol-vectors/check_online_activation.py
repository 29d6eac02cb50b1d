#!/usr/bin/env python3
"""Recomputes online-activation.json, device-jwt.json, push-signature.json and otpauth.json from
their inputs with Python's hmac/hashlib/json/urllib and the `cryptography` package (P-256, ECDH,
ECDSA, AES-GCM, X.509 CSRs), independently of the Java code that generated them. It recomputes
every deterministic value (keys, h, proof, epk, Z, K, c, K_proof, code, dataHash, URIs), verifies
every frozen ECDSA signature (CSRs, confirmations, tokens, push answers), and re-derives with its
own code, from the rules in docs/protocol.md, the outcome of every CSR, epk, token and push-answer
case (the otpauth refusals are checked by the Java tests only).
Usage: python3 check_online_activation.py [directory holding the four files]"""
import base64, hashlib, hmac, json, os, re, sys
from urllib.parse import unquote
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from check_offline_activation import b64u, dt, enc, hkdf  # the same helpers, beside this script

P256_N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
ECDSA_WITH_SHA256 = bytes.fromhex("300a06082a8648ce3d040302")
P256_SPKI_PREFIX = bytes.fromhex("3059301306072a8648ce3d020106082a8648ce3d030107034200")


def unb64u(s):
    """Strict base64url: the alphabet only, no padding, canonical; None otherwise."""
    if not isinstance(s, str) or not re.fullmatch(r"[A-Za-z0-9_-]*", s) or len(s) % 4 == 1:
        return None
    b = base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
    return b if b64u(b) == s else None


def sha256(b):
    return hashlib.sha256(b).digest()


def hmac256(key, text):
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def private_key(hex_scalar):
    return ec.derive_private_key(int(hex_scalar, 16), ec.SECP256R1())


def point(public_key):
    return public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


def spki(public_key):
    return public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def der_elements(der):
    """The (tag, whole element bytes) of a DER SEQUENCE's direct children; definite lengths only."""
    def length_at(i):
        first = der[i]
        if first < 0x80:
            return first, i + 1
        n = first & 0x7F
        return int.from_bytes(der[i + 1:i + 1 + n], "big"), i + 1 + n
    _, start = length_at(1)
    out, i = [], start
    while i < len(der):
        length, body = length_at(i + 1)
        out.append((der[i], der[i:body + length]))
        i = body + length
    return out


def canonical_der_signature(sig):
    """(r, s) if sig is exactly the canonical DER of two positive integers, else None."""
    try:
        r, s = decode_dss_signature(sig)
    except Exception:
        return None
    if r <= 0 or s <= 0 or encode_dss_signature(r, s) != sig:
        return None
    return r, s


def ecdsa_ok(public_key, data, r, s):
    if not (0 < r < P256_N and 0 < s < P256_N):
        return False
    try:
        public_key.verify(encode_dss_signature(r, s), data, ec.ECDSA(hashes.SHA256()))
        return True
    except InvalidSignature:
        return False


# ------------------------------------------------------------------ online activation

def csr_outcome(c):
    """The server's verdict on one request, from the rules of protocol.md and docs/protocol.md."""
    der = unb64u(c["csrBase64url"])
    if not der or len(der) > 4096:
        return "MALFORMED_CSR_ENCODING"
    ap = bytes.fromhex(c["ap"])
    if not hmac.compare_digest(b64u(hmac256(ap, f"countersign/v1/enroll|{c['rid']}|{b64u(sha256(der))}")), c["proof"]):
        return "PROOF"
    try:
        csr = x509.load_der_x509_csr(der)
        if csr.public_bytes(serialization.Encoding.DER) != der:
            return "MALFORMED_CSR"
        info = der_elements(der)[0][1]
        fields = der_elements(info)
        if len(fields) != 4 or fields[0][1] != bytes.fromhex("020100") or fields[3][0] != 0xA0:
            return "MALFORMED_CSR"
        key_der = fields[2][1]
    except Exception:
        return "MALFORMED_CSR"
    try:
        key = csr.public_key()
    except Exception:
        key = None  # a key `cryptography` cannot load (explicit curve parameters): see below
    if der_elements(der)[1][1] != ECDSA_WITH_SHA256:
        return "SIGNATURE"
    if key is not None:
        if not isinstance(key, ec.EllipticCurvePublicKey):
            return "SIGNATURE"
        rs = canonical_der_signature(csr.signature)
        if rs is None or not csr.is_signature_valid:
            return "SIGNATURE"
    # Not checked here: the signature under a key `cryptography` cannot load; such a key is not a named P-256 key anyway.
    if key is None or not key_der.startswith(P256_SPKI_PREFIX) or len(key_der) != len(P256_SPKI_PREFIX) + 65 \
            or key_der[len(P256_SPKI_PREFIX)] != 4:
        return "KEY_NOT_P256"
    rdns = list(csr.subject.rdns)
    if len(rdns) != 1 or len(rdns[0]) != 1:
        return "SUBJECT"
    attribute = list(rdns[0])[0]
    if attribute.oid != x509.NameOID.COMMON_NAME or attribute.value != c["sn"] \
            or attribute._type not in (x509.name._ASN1Type.UTF8String, x509.name._ASN1Type.PrintableString):
        return "SUBJECT"
    return "accepted"


def epk_accepted(epk):
    if len(epk) != 65 or epk[0] != 4:
        return False
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), epk)
        return True
    except ValueError:
        return False


def check_online_activation(doc, bad):
    for v in doc["vectors"]:
        i, o, vid = v["input"], v["output"], v["id"]
        def expect(what, want, got):
            if want != got:
                bad.append(f"{vid} {what}: file {want!r}, recomputed {got!r}")
        rid, iid, sn, otp = i["rid"], i["iid"], i["sn"], i["otp"]
        ap, IS = bytes.fromhex(i["ap"]), bytes.fromhex(i["is"])
        uri = f"countersign://enroll?v=1&url={enc(i['url'])}&rid={enc(rid)}&sn={enc(sn)}" \
              f"&ap={base64.b32encode(ap).decode().rstrip('=')}"
        uri += f"&iss={enc(i['iss'])}" if "iss" in i else ""
        uri += f"&acct={enc(i['acct'])}" if "acct" in i else ""
        uri += f"&iid={enc(iid)}" if i["migrate"] else ""
        expect("enrolmentUri", o["enrolmentUri"], uri)
        device = private_key(i["deviceKey"])
        device_pub = device.public_key()
        expect("devicePublicKey", o["devicePublicKey"], point(device_pub).hex())
        expect("devicePublicKeySpki", o["devicePublicKeySpki"], spki(device_pub).hex())
        csr_der = bytes.fromhex(o["csr"])
        expect("csrBase64url", o["csrBase64url"], b64u(csr_der))
        csr = x509.load_der_x509_csr(csr_der)
        expect("CSR signature valid", True, csr.is_signature_valid)
        expect("CSR signature algorithm", ECDSA_WITH_SHA256.hex(), der_elements(csr_der)[1][1].hex())
        expect("CSR key", point(device_pub).hex(), point(csr.public_key()).hex())
        expect("CSR subject", f"CN={sn}", csr.subject.rfc4514_string())
        expect("CSR is DER", o["csr"], csr.public_bytes(serialization.Encoding.DER).hex())
        h = b64u(sha256(csr_der))
        expect("h", o["h"], h)
        expect("proof", o["proof"], b64u(hmac256(ap, f"countersign/v1/enroll|{rid}|{h}")))
        if not i["migrate"]:
            e = private_key(i["ephemeralKey"])
            epk = point(e.public_key())
            expect("epk", o["epk"], epk.hex())
            expect("epkBase64url", o["epkBase64url"], b64u(epk))
            z = e.exchange(ec.ECDH(), device_pub)
            expect("Z", o["z"], z.hex())
            expect("Z (device side)", o["z"], device.exchange(ec.ECDH(),
                   ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), epk)).hex())
            expect("salt", o["salt"], sha256(csr_der).hex())
            info = f"countersign/v1/online|{rid}|{iid}"
            expect("info", o["info"], info)
            k = hkdf(z, sha256(csr_der), info.encode(), 32)
            expect("K", o["k"], k.hex())
            aad = f"countersign/v1/online-secret|{rid}|{iid}|{otp}"
            expect("aad", o["aad"], aad)
            nonce = bytes.fromhex(i["nonce"])
            expect("n", o["n"], b64u(nonce))
            c = AESGCM(k).encrypt(nonce, IS, aad.encode())
            expect("c", o["c"], c.hex())
            expect("cBase64url", o["cBase64url"], b64u(c))
        kproof = hkdf(IS, b"", b"countersign/v1/activation-proof", 32)
        expect("kProof", o["kProof"], kproof.hex())
        code_message = f"countersign/v1/activate|{rid}|{iid}|{h}"
        expect("codeMessage", o["codeMessage"], code_message)
        code = dt(hmac256(kproof, code_message), 8)
        expect("code", o["code"], code)
        confirm = f"countersign/v1/confirm|{rid}|{iid}|{code}"
        expect("confirmMessage", o["confirmMessage"], confirm)
        rs = canonical_der_signature(unb64u(o["confirmSignature"]) or b"")
        expect("confirmSignature verifies", True, rs is not None and ecdsa_ok(device_pub, confirm.encode(), *rs))
    for c in doc["csrRefusals"]:
        got = csr_outcome(c)
        if c.get("refused", "accepted") != got:
            bad.append(f"csrRefusals/{c['id']}: file {c.get('refused', 'accepted')}, recomputed {got}")
    for c in doc["epkRefusals"]:
        got = epk_accepted(bytes.fromhex(c["epk"]))
        if c.get("accepted", False) != got or unb64u(c["epkBase64url"]) != bytes.fromhex(c["epk"]):
            bad.append(f"epkRefusals/{c['id']}: file accepted={c.get('accepted', False)}, recomputed {got}")
    return len(doc["vectors"]) + len(doc["csrRefusals"]) + len(doc["epkRefusals"])


# ------------------------------------------------------------------ device JWT

class Refused(Exception):
    pass


def strict_object(part):
    raw = unb64u(part)
    if raw is None:
        raise Refused("MALFORMED")
    def no_duplicates(pairs):
        names = [n for n, _ in pairs]
        if len(names) != len(set(names)):
            raise Refused("MALFORMED")
        return dict(pairs)
    try:
        text = raw.decode("utf-8")
        if text.startswith("\ufeff"):
            raise Refused("MALFORMED")
        value = json.loads(text, object_pairs_hook=no_duplicates, parse_float=lambda t: ("float", t),
                           parse_constant=lambda t: ("constant", t))
    except (UnicodeDecodeError, ValueError):
        raise Refused("MALFORMED")
    if not isinstance(value, dict):
        raise Refused("MALFORMED")
    return value


def jwt_outcome(token, public_key, audience, now):
    if len(token) > 4096:
        raise Refused("MALFORMED")
    parts = token.split(".")
    if len(parts) != 3 or not parts[0] or not parts[1]:
        raise Refused("MALFORMED")
    header, claims, sig = strict_object(parts[0]), strict_object(parts[1]), unb64u(parts[2])
    if sig is None:
        raise Refused("MALFORMED")
    if header.get("alg") != "ES256":
        raise Refused("ALGORITHM")
    kid = header.get("kid")
    if set(header) != {"alg", "typ", "kid"} or header.get("typ") != "JWT" or not isinstance(kid, str) \
            or not re.fullmatch(r"[A-Za-z0-9-]{1,64}", kid):
        raise Refused("HEADER")
    if len(sig) != 64 or not ecdsa_ok(public_key, (parts[0] + "." + parts[1]).encode(),
                                      int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big")):
        raise Refused("SIGNATURE")
    if claims.get("iss") != kid or claims.get("sub") != kid:
        raise Refused("ISSUER")
    if not isinstance(claims.get("aud"), str) or claims["aud"] != audience:
        raise Refused("AUDIENCE")
    iat, exp = claims.get("iat"), claims.get("exp")
    if type(iat) is not int or type(exp) is not int or iat < 0 or exp < 0:
        raise Refused("TIMES")
    if exp <= iat or exp - iat > 300:
        raise Refused("LIFETIME")
    if now >= exp + 60:
        raise Refused("EXPIRED")
    if iat > now + 60:
        raise Refused("ISSUED_IN_FUTURE")
    jti = claims.get("jti")
    if not isinstance(jti, str) or len(jti) > 128 or unb64u(jti) is None or len(unb64u(jti)) < 16:
        raise Refused("JTI")
    return {"iid": kid, "jti": jti, "iat": iat, "exp": exp}


def check_device_jwt(doc, bad):
    key = private_key(doc["deviceKey"])
    if point(key.public_key()).hex() != doc["devicePublicKey"]:
        bad.append("device-jwt: devicePublicKey is not the key of deviceKey")
    for v in doc["vectors"]:
        try:
            got = jwt_outcome(v["token"], key.public_key(), doc["audience"], v["now"])
        except Refused as refused:
            got = str(refused)
        want = v.get("accepted", v.get("refused"))
        if want != got:
            bad.append(f"device-jwt/{v['id']}: file {want!r}, recomputed {got!r}")
    return len(doc["vectors"])


# ------------------------------------------------------------------ push signature

def check_push_signature(doc, bad):
    key = private_key(doc["deviceKey"]).public_key()
    if point(key).hex() != doc["devicePublicKey"]:
        bad.append("push-signature: devicePublicKey is not the key of deviceKey")
    def signed_text(i, decision, number):
        return "|".join(["countersign/v1/push", i["requestId"], i["challenge"], data_hash(i), decision,
                         "" if number is None else str(number), i["iid"]])
    def data_hash(i):
        text = i["message"] + "".join("\n" + f["name"] + "=" + f["value"] for f in i["fields"])
        return b64u(sha256(text.encode()))
    def verifies(text, signature):
        rs = canonical_der_signature(unb64u(signature) or b"")
        return rs is not None and ecdsa_ok(key, text.encode(), *rs)
    for v in doc["vectors"]:
        i, o = v["input"], v["output"]
        if o["dataHash"] != data_hash(i):
            bad.append(f"push-signature/{v['id']} dataHash: file {o['dataHash']!r}, recomputed {data_hash(i)!r}")
        text = signed_text(i, i["decision"], i.get("selectedNumber"))
        if o["signedText"] != text:
            bad.append(f"push-signature/{v['id']} signedText: file {o['signedText']!r}, recomputed {text!r}")
        if not verifies(text, o["signature"]):
            bad.append(f"push-signature/{v['id']}: the signature does not verify")
    first = doc["vectors"][0]["input"]
    for c in doc["signatureVariants"]:
        got = verifies(signed_text(first, c["decision"], c.get("selectedNumber")), c["signature"])
        if got != c.get("accepted", False):
            bad.append(f"push-signature/signatureVariants/{c['id']}: file accepted={c.get('accepted', False)}, recomputed {got}")
    return len(doc["vectors"]) + len(doc["signatureVariants"])


# ------------------------------------------------------------------ otpauth

def check_otpauth(doc, bad):
    for v in doc["vectors"]:
        i = v["input"]
        alg, digits, period = i["otp"].split(":")[1:]
        secret = base64.b32encode(bytes.fromhex(i["secret"])).decode().rstrip("=")
        label = (enc(i["issuer"]) + ":" if "issuer" in i else "") + enc(i["account"])
        uri = f"otpauth://totp/{label}?secret={secret}" + (f"&issuer={enc(i['issuer'])}" if "issuer" in i else "") \
              + f"&algorithm={alg.upper()}&digits={digits}&period={period}"
        if v["output"]["uri"] != uri:
            bad.append(f"otpauth/{v['id']}: file {v['output']['uri']!r}, recomputed {uri!r}")
    checked = len(doc["vectors"])
    for c in doc["parsing"]:
        if c.get("refused"):
            continue  # refusals are checked by the Java tests only
        rest = re.sub(r"(?i)^otpauth://totp/", "", c["uri"])
        label, query = rest.split("?", 1)
        params = dict(p.split("=", 1) for p in query.split("&"))
        split = label.split(":", 1) if ":" in label else re.split(r"(?i)%3A", label, 1)
        issuer = unquote(params["issuer"]) if "issuer" in params else (unquote(split[0]) if len(split) == 2 else None)
        account = unquote(split[-1]).lstrip()
        secret = params["secret"].upper().rstrip("=")
        key = base64.b32decode(secret + "=" * (-len(secret) % 8)).hex()
        otp = f"totp:{params.get('algorithm', 'SHA1').lower()}:{params.get('digits', '6')}:{params.get('period', '30')}"
        got = {"issuer": issuer, "account": account, "secret": key, "otp": otp}
        want = {"issuer": c.get("issuer"), "account": c["account"], "secret": c["secret"], "otp": c["otp"]}
        if got != want:
            bad.append(f"otpauth/parsing/{c['id']}: file {want}, recomputed {got}")
        checked += 1
    return checked


if __name__ == "__main__":
    here = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    problems, counts = [], []
    for name, check in (("online-activation.json", check_online_activation), ("device-jwt.json", check_device_jwt),
                        ("push-signature.json", check_push_signature), ("otpauth.json", check_otpauth)):
        with open(os.path.join(here, name), encoding="utf-8") as f:
            counts.append(f"{check(json.load(f), problems)} from {name}")
    print("\n".join(problems) or "all cases agree: " + ", ".join(counts))
    sys.exit(1 if problems else 0)
