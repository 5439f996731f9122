"""The one adapter between SOVAZ and an e-parliament endpoint: `send()` and `DeliveryError`.

Safety rules, all enforced here so no caller can forget one:
- the host is resolved at send time and every address must be global (no private, loopback,
  link-local, multicast or reserved address) unless the endpoint was explicitly allowed one;
  the connection then goes to the address that was checked, so a DNS answer that changes
  between the check and the connect (rebinding) cannot redirect the request;
- redirects are never followed (a 3xx is a failure);
- connect and read timeouts are short, so a slow receiver cannot hold a worker.
"""

import email.utils
import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
USER_AGENT = "SOVAZ-eparliament/1"


@dataclass
class DeliveryError(Exception):
    """A delivery that did not succeed. `retryable` says whether trying again later can help.

    `retry_after` (seconds) is set when the receiver asked for a pause (429 Retry-After);
    `gone` when it answered 410 and the endpoint should be disabled. `code` says why in one
    stable word (a value of eparliament.models.Delivery.Failure), for people who read no HTTP.
    """

    message: str
    retryable: bool = True
    status: int | None = None
    retry_after: float | None = None
    gone: bool = False
    code: str = "unreachable"

    def __str__(self) -> str:
        return self.message


class UnsafeAddress(DeliveryError):
    pass


def _is_allowed(address: str, allow_private: bool) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return allow_private or ip.is_global


def check_url(url: str) -> tuple[str, str, int]:
    """Split an endpoint URL into (scheme, host, port); raise DeliveryError if it is unusable."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DeliveryError(f"not an http(s) URL: {url!r}", retryable=False, code="bad_url")
    if parts.username or parts.password:
        raise DeliveryError(
            "credentials in the URL are not allowed", retryable=False, code="bad_url"
        )
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise DeliveryError(f"bad port in {url!r}", retryable=False, code="bad_url") from None
    return parts.scheme, parts.hostname, port


def resolve(host: str, port: int, *, allow_private: bool) -> str:
    """Resolve `host` and return one address to connect to; every address must be allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise DeliveryError(f"cannot resolve {host}: {exc}") from None
    addresses = [info[4][0] for info in infos]
    refused = [a for a in addresses if not _is_allowed(a, allow_private)]
    if refused or not addresses:
        raise UnsafeAddress(
            f"{host} resolves to a non-public address ({', '.join(refused)}); an administrator "
            "must allow private addresses for this endpoint",
            retryable=False,
            code="unsafe_address",
        )
    return addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, *, address: str, timeouts: tuple[float, float]):
        super().__init__(host, port, timeout=timeouts[0])
        self._address, self._read_timeout = address, timeouts[1]

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock.settimeout(self._read_timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, *, address: str, timeouts: tuple[float, float]):
        super().__init__(host, port, timeout=timeouts[0], context=ssl.create_default_context())
        self._address, self._read_timeout = address, timeouts[1]

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        sock.settimeout(self._read_timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def send(
    *,
    url: str,
    body: bytes,
    headers: dict[str, str],
    allow_private: bool = False,
    connect_timeout: float = CONNECT_TIMEOUT,
    read_timeout: float = READ_TIMEOUT,
) -> int:
    """POST `body` to `url`; return the 2xx status or raise DeliveryError."""
    scheme, host, port = check_url(url)
    address = resolve(host, port, allow_private=allow_private)
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    conn_class = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
    conn = conn_class(host, port, address=address, timeouts=(connect_timeout, read_timeout))
    all_headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Content-Length": str(len(body)),
        **headers,
    }
    try:
        conn.request("POST", target, body=body, headers=all_headers)
        response = conn.getresponse()
        status = response.status
        retry_after = response.getheader("Retry-After")
        response.read(64 * 1024)  # drain a little; the answer's body is not used
    except TimeoutError:
        raise DeliveryError(f"timed out talking to {host}", code="timeout") from None
    except (OSError, http.client.HTTPException) as exc:
        raise DeliveryError(f"connection to {host} failed: {exc}") from None
    finally:
        conn.close()
    if 200 <= status < 300:
        return status
    if status == 410:
        raise DeliveryError(
            "410 Gone: the endpoint is retired", retryable=False, status=410, gone=True, code="gone"
        )
    if status == 429:
        raise DeliveryError(
            "429 Too Many Requests",
            status=429,
            retry_after=parse_retry_after(retry_after),
            code="rate_limited",
        )
    if 300 <= status < 400:
        raise DeliveryError(
            f"{status} redirect (redirects are not followed)", status=status, code="redirect"
        )
    raise DeliveryError(f"HTTP {status} from the receiver", status=status, code="http_error")
