"""Joining an event hub: the join code and QR, the event's TLS certificate, the pinned link.

The hub makes a self-signed certificate for the event.  Its SHA-256 fingerprint travels in
the join QR (whole) and in the short join code (the first 80 bits), together with the
hub's address and a join key.  A joining laptop fetches the hub's certificate, compares
its fingerprint with the one it was given and refuses the hub on any difference; from
then on the certificate itself is the only trust anchor of the link (`pinned_client`),
so nobody on an open network can stand in for the hub, not even at the first contact.

Join code: 20 bytes (IPv4 address, port, 10 bytes of the fingerprint, 4 bytes of join
key) in base32, shown as eight groups of four characters.  Join URL (the QR):
`bpjs-hub://HOST:PORT/?pin=<64 hex>&key=<join key>`.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import ipaddress
import secrets
import socket
import ssl
import struct
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from bpjs_field.sync import lean  # noqa: F401  (before httpx: see there)
import httpx

from bpjs_field.errors import KnownError

SCHEME = "bpjs-hub"
CODE_PIN_BYTES = 10
KEY_BYTES = 4
DEFAULT_PORT = 8766


@dataclass(frozen=True)
class JoinInfo:
    host: str
    port: int
    pin: bytes  # the certificate's SHA-256, whole (QR) or its first CODE_PIN_BYTES (code)
    key: str  # the join key, base32

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"https://{host}:{self.port}"


def new_join_key() -> str:
    return base64.b32encode(secrets.token_bytes(KEY_BYTES)).decode("ascii").rstrip("=")


def join_code(host: str, port: int, fingerprint: bytes, key: str) -> str | None:
    """The short code to type (None when the address is not IPv4: then the QR only)."""
    try:
        address = ipaddress.IPv4Address(host)
    except ValueError:
        return None
    raw = address.packed + struct.pack(">H", port) + fingerprint[:CODE_PIN_BYTES] + _key_bytes(key)
    text = base64.b32encode(raw).decode("ascii")
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def join_url(host: str, port: int, fingerprint: bytes, key: str) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"{SCHEME}://{shown}:{port}/?pin={fingerprint.hex()}&key={key}"


def _key_bytes(key: str) -> bytes:
    try:
        raw = base64.b32decode(key.upper() + "=" * (-len(key) % 8))
    except ValueError:
        raise KnownError("hub.bad_code") from None
    if len(raw) != KEY_BYTES:
        raise KnownError("hub.bad_code")
    return raw


def parse_join(text: str) -> JoinInfo:
    """A join code as typed (case, spaces and dashes do not matter) or a join URL."""
    text = (text or "").strip()
    if text.lower().startswith(SCHEME + "://"):
        parts = urlsplit(text)
        query = parse_qs(parts.query)
        try:
            pin = bytes.fromhex(query["pin"][0])
            key = query["key"][0]
            host, port = parts.hostname, parts.port
        except (KeyError, IndexError, ValueError):
            raise KnownError("hub.bad_code") from None
        if not host or not port or len(pin) != 32:
            raise KnownError("hub.bad_code")
        _key_bytes(key)
        return JoinInfo(host, port, pin, key)
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    # Characters base32 never uses, as officers misread them on a screen.
    cleaned = cleaned.replace("0", "O").replace("1", "I").replace("8", "B")
    try:
        raw = base64.b32decode(cleaned)
    except ValueError:
        raise KnownError("hub.bad_code") from None
    if len(raw) != 4 + 2 + CODE_PIN_BYTES + KEY_BYTES:
        raise KnownError("hub.bad_code")
    host = str(ipaddress.IPv4Address(raw[:4]))
    port = struct.unpack(">H", raw[4:6])[0]
    key = base64.b32encode(raw[6 + CODE_PIN_BYTES:]).decode("ascii").rstrip("=")
    if port == 0:
        raise KnownError("hub.bad_code")
    return JoinInfo(host, port, raw[6:6 + CODE_PIN_BYTES], key)


# -- the event's certificate ---------------------------------------------------------------
def make_certificate(host: str, days: int = 14) -> tuple[bytes, bytes]:
    """A self-signed certificate for `host` (IP address or name) and its private key, PEM."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "bpjs-field event hub")])
    try:
        alt: x509.GeneralName = x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        alt = x509.DNSName(host)
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=days))
            .add_extension(x509.SubjectAlternativeName([alt]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .sign(key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def fingerprint(cert_pem: bytes | str) -> bytes:
    text = cert_pem.decode("ascii") if isinstance(cert_pem, bytes) else cert_pem
    return hashlib.sha256(ssl.PEM_cert_to_DER_cert(text)).digest()


def fetch_pinned_certificate(info: JoinInfo, timeout: float = 5.0) -> str:
    """The hub's certificate, PEM, only if its fingerprint is the one given in the code."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # checked below against the pin, not against a CA
    try:
        with socket.create_connection((info.host, info.port), timeout=timeout) as sock:
            with context.wrap_socket(sock, server_hostname=info.host) as tls:
                der = tls.getpeercert(binary_form=True)
    except (OSError, ssl.SSLError) as exc:
        raise KnownError("hub.unreachable", address=f"{info.host}:{info.port}") from exc
    if not der or not secrets.compare_digest(hashlib.sha256(der).digest()[:len(info.pin)], info.pin):
        raise KnownError("hub.wrong_key")
    return ssl.DER_cert_to_PEM_cert(der)


def pinned_context(cert_pem: str) -> ssl.SSLContext:
    """TLS that trusts the event's certificate and nothing else."""
    # With `cadata` given, the system's CAs are not loaded: this certificate is the only anchor.
    return ssl.create_default_context(cadata=cert_pem)


def pinned_client(cert_pem: str, read_timeout: float = 20.0) -> httpx.Client:
    from bpjs_field.sync.client import default_timeout
    return httpx.Client(verify=pinned_context(cert_pem), timeout=default_timeout(read_timeout),
                        follow_redirects=False)
