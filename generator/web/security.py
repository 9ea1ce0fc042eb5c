"""The password wall, CSRF tokens, allowed host names and the security headers, as ASGI middleware."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import secrets
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any

PASSWORD_VARIABLE = "AKTIVITETSPLAN_WEB_PASSWORD"
LOCAL_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
SESSION_COOKIE = "aktivitetsplan_session"
CSRF_COOKIE = "aktivitetsplan_csrf"
CSRF_FIELD = "csrf"
SESSION_SECONDS = 12 * 3600
OPEN_PATHS = ("/static/", "/logga-in")
MAX_WRONG = 10             # wrong passwords from one client ...
WRONG_WINDOW = 15 * 60     # ... within this many seconds, then it waits until the oldest is this old
MAX_CLIENTS = 10_000       # clients remembered at most (the oldest are forgotten first)

HEADERS = [
    (b"content-security-policy", b"default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
                                 b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


def _is_local(host: str) -> bool:
    """True for the addresses that only this computer reaches."""
    return host.strip("[]") in LOCAL_HOSTS


class Throttle:
    """Wrong passwords per client (its address): after MAX_WRONG within WRONG_WINDOW seconds it has to wait."""

    def __init__(self, limit: int = MAX_WRONG, window: float = WRONG_WINDOW) -> None:
        self.limit = limit
        self.window = window
        self._wrong: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait(self, client: str) -> int:
        """Seconds the client has to wait before it may try again; 0 when it may."""
        now = time.monotonic()
        with self._lock:
            times = self._wrong.get(client)
            if times is None:
                return 0
            while times and now - times[0] >= self.window:
                times.popleft()
            if not times:
                del self._wrong[client]
                return 0
            return math.ceil(times[0] + self.window - now) if len(times) >= self.limit else 0

    def wrong(self, client: str) -> None:
        with self._lock:
            times = self._wrong.pop(client, None) or deque(maxlen=self.limit)
            times.append(time.monotonic())
            self._wrong[client] = times  # the most recent last, so the oldest are forgotten first
            while len(self._wrong) > MAX_CLIENTS:
                del self._wrong[next(iter(self._wrong))]


def _client_of(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else ""


def too_many_tries(seconds: int) -> str:
    """What a client that guessed too often is told (the page and the API)."""
    minutes = max(1, math.ceil(seconds / 60))
    return (f"För många fel lösenord från den här datorn. Vänta {minutes} "
            f"{'minut' if minutes == 1 else 'minuter'} och försök igen.")


class Guard:
    """Signs session cookies with a key made when the server starts, and checks the password."""

    def __init__(self, password: str | None) -> None:
        self.password = password or None
        self._key = secrets.token_bytes(32)
        self.throttle = Throttle()

    def client_wait(self, scope: Scope) -> int:
        """Seconds this request's client must wait after too many wrong passwords (0: it may try)."""
        return self.throttle.wait(_client_of(scope))

    def wrong_password(self, scope: Scope) -> None:
        self.throttle.wrong(_client_of(scope))

    @property
    def enabled(self) -> bool:
        return self.password is not None

    def check_password(self, given: str) -> bool:
        if self.password is None:
            return False
        return hmac.compare_digest(given.encode("utf-8"), self.password.encode("utf-8"))

    def session(self) -> str:
        expires = str(int(time.time()) + SESSION_SECONDS)
        return f"{expires}.{self._sign(expires)}"

    def valid_session(self, value: str) -> bool:
        expires, _, signature = value.partition(".")
        if not expires.isdigit() or int(expires) < time.time():
            return False
        return hmac.compare_digest(signature, self._sign(expires))

    def _sign(self, text: str) -> str:
        return hmac.new(self._key, text.encode("ascii"), hashlib.sha256).hexdigest()

    def authorised(self, headers: dict[bytes, bytes], cookies: dict[str, str], api: bool) -> bool:
        """A valid session cookie (the page) or the password as Bearer token or Basic password (the API)."""
        if not self.enabled:
            return True
        if not api and self.valid_session(cookies.get(SESSION_COOKIE, "")):
            return True
        scheme, _, credentials = headers.get(b"authorization", b"").decode("utf-8", "replace").partition(" ")
        if scheme.lower() == "bearer":
            return self.check_password(credentials.strip())
        if scheme.lower() == "basic":
            try:
                decoded = base64.b64decode(credentials.strip(), validate=True).decode("utf-8")
            except ValueError:
                return False
            return self.check_password(decoded.partition(":")[2])
        return False


def _cookies_of(headers: dict[bytes, bytes]) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(headers.get(b"cookie", b"").decode("latin-1"))
    except Exception:  # a malformed Cookie header counts as none
        return {}
    return {key: morsel.value for key, morsel in jar.items()}


def _csrf_token(cookies: dict[str, str]) -> tuple[str, bool]:
    """The request's CSRF token, and whether it is new (then the page sets the cookie)."""
    token = cookies.get(CSRF_COOKIE, "")
    if len(token) == 43 and token.replace("-", "").replace("_", "").isalnum():
        return token, False
    return secrets.token_urlsafe(32), True


def _csrf_valid(cookies: dict[str, str], sent: str | None) -> bool:
    """Double-submit: the form's hidden field must equal the cookie only this site can set."""
    token = cookies.get(CSRF_COOKIE, "")
    return bool(token) and sent is not None and hmac.compare_digest(token.encode(), sent.encode())


class SecurityMiddleware:
    """Adds the security headers to every answer; refuses foreign Host names and unauthorised requests."""

    def __init__(self, app: App, guard: Guard, local_only: bool) -> None:
        self.app = app
        self.guard = guard
        self.local_only = local_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + HEADERS
            await send(message)

        headers = dict(scope.get("headers", []))
        path: str = scope.get("path", "/")
        api = path.startswith("/api/")
        if self.local_only and not self._local_host(headers):
            await _answer(send_with_headers, 421, api, f"Fel värdnamn: öppna sidan på {_own_address(scope)}.")
            return
        guessing = api and self.guard.enabled and b"authorization" in headers
        wait = self.guard.client_wait(scope) if guessing else 0
        if wait:  # too many wrong passwords from this client: not even the right one is tried for now
            await _answer(send_with_headers, 429, True, too_many_tries(wait), [(b"retry-after", str(wait).encode())])
            return
        if not path.startswith(OPEN_PATHS) and not self.guard.authorised(headers, _cookies_of(headers), api):
            if guessing:
                self.guard.wrong_password(scope)
            if api:
                await _answer(send_with_headers, 401, True, "Lösenord krävs (Authorization: Bearer eller Basic).",
                              [(b"www-authenticate", b'Basic realm="aktivitetsplan", charset="UTF-8"')])
            else:
                await _answer(send_with_headers, 303, False, "", [(b"location", b"/logga-in")])
            return
        await self.app(scope, receive, send_with_headers)

    @staticmethod
    def _local_host(headers: dict[bytes, bytes]) -> bool:
        """Guards against DNS rebinding: a local server answers only to local names."""
        host = headers.get(b"host", b"").decode("latin-1")
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return _is_local(name)


def address(host: str, port: int | None) -> str:
    """The page's address: http://127.0.0.1:8000/, an IPv6 host in brackets."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/" if port else f"http://{shown}/"


def _own_address(scope: Scope) -> str:
    """The address this server answers on, with its port."""
    host, port = (scope.get("server") or ("127.0.0.1", None))[:2]
    return address(str(host), port)


async def _answer(send: Send, status: int, api: bool, message: str,
                  extra: list[tuple[bytes, bytes]] | None = None) -> None:
    if api:
        body = json.dumps({"meddelande": message}, ensure_ascii=False).encode("utf-8")
        kind = b"application/json"
    else:
        body = message.encode("utf-8")
        kind = b"text/plain; charset=utf-8"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode())] + (extra or [])
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
