"""Start the web server on uvicorn: the address check, the password rule, a clean stop on Ctrl+C."""

from __future__ import annotations

import os
import socket
import threading
import webbrowser
from collections.abc import Callable

import uvicorn

from generator.plan.errors import ServeError, os_reason
from generator.web.app import create_app
from generator.web.security import PASSWORD_VARIABLE, _is_local, address
from generator.web.state import Settings


def run(host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False,
        announce: Callable[[str], None] = print) -> None:
    """Serve until Ctrl+C. On an address other people reach, AKTIVITETSPLAN_WEB_PASSWORD must be set."""
    password = os.environ.get(PASSWORD_VARIABLE) or None
    local = _is_local(host)
    if not local and password is None:
        raise ServeError(host, f"servern startar bara på 127.0.0.1, ::1 eller localhost utan lösenord. Sätt "
                               f"miljövariabeln {PASSWORD_VARIABLE} till ett lösenord för att låta andra datorer "
                               "nå sidan; då krävs det för varje förfrågan.")
    app = create_app(Settings(password=password, local_only=local and password is None))
    config = uvicorn.Config(app, host=host.strip("[]"), port=port, log_level="warning", access_log=False,
                            server_header=False, timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    url = address(host if host != "localhost" else "127.0.0.1", port)

    def opened() -> None:
        announce(f"Sidan finns på {url}  (avsluta med Ctrl+C)")
        if open_browser:
            webbrowser.open(url)

    def wait_until_started() -> None:
        while not server.started and not server.should_exit:
            threading.Event().wait(0.05)
        if server.started:
            opened()

    listening = _listen(host, port)
    threading.Thread(target=wait_until_started, daemon=True).start()
    try:
        server.run(sockets=[listening])
    except KeyboardInterrupt:
        pass  # uvicorn stops cleanly on Ctrl+C, then raises the signal again for the caller
    finally:
        listening.close()


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket, bound here so that a port in use is a clear message, not uvicorn's log."""
    name = "127.0.0.1" if host == "localhost" else host.strip("[]")
    family = socket.AF_INET6 if ":" in name else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((name, port))
    except OSError as exc:
        sock.close()
        raise ServeError(f"{host}:{port}", f"servern kunde inte starta ({os_reason(exc)}); porten används "
                                           "kanske redan av ett annat program. Välj en annan med --port.") from None
    return sock
