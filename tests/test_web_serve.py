"""`aktivitetsplan serve` as a real process: the address, the password rule, a clean stop on Ctrl+C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from conftest import EXAMPLE, ROOT

pytestmark = pytest.mark.slow  # every test starts the installed command in a new process

COMMAND = str(Path(sys.executable).parent / "aktivitetsplan")
PASSWORD = "lösen-för-test"


def free_port(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "AKTIVITETSPLAN_WEB_PASSWORD"}
    return {**env, **extra}


def test_serve_prints_the_address_serves_and_stops_on_ctrl_c() -> None:
    port = free_port("127.0.0.1")
    with subprocess.Popen([COMMAND, "serve", "--port", str(port)], cwd=ROOT, env=environment(),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as server:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line  # not a terminal: no browser is opened
        answer = httpx.post(f"http://127.0.0.1:{port}/api/check",
                            files={"arbetsbok": ("plan.xlsx", EXAMPLE.read_bytes())}, timeout=60)
        assert answer.json()["sammanfattning"] == "15 aktiviteter, 3 klara"
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=60)
    assert server.returncode == 0
    assert "Servern stoppad." in out
    assert "Traceback" not in err


def test_serve_refuses_another_address_without_a_password() -> None:
    done = subprocess.run([COMMAND, "serve", "--host", "127.0.0.2", "--no-browser"], capture_output=True,
                          text=True, env=environment(), timeout=60, cwd=ROOT)
    assert done.returncode == 1
    assert "AKTIVITETSPLAN_WEB_PASSWORD" in done.stderr
    assert "Traceback" not in done.stderr


def test_serve_on_another_address_with_a_password_asks_for_it() -> None:
    host = "127.0.0.2"  # another address, still this machine
    port = free_port(host)
    with subprocess.Popen([COMMAND, "serve", "--host", host, "--port", str(port), "--no-browser"], cwd=ROOT,
                          env=environment(AKTIVITETSPLAN_WEB_PASSWORD=PASSWORD), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True) as server:
        assert server.stdout is not None
        assert f"http://{host}:{port}/" in server.stdout.readline()
        assert httpx.get(f"http://{host}:{port}/api/check").status_code == 401
        assert httpx.get(f"http://{host}:{port}/", follow_redirects=False).headers["location"] == "/logga-in"
        token = {"authorization": f"Bearer {PASSWORD}".encode()}
        answer = httpx.post(f"http://{host}:{port}/api/check", headers=token, timeout=60,
                            files={"arbetsbok": ("plan.xlsx", EXAMPLE.read_bytes())})
        assert answer.status_code == 200
        server.send_signal(signal.SIGINT)
        server.communicate(timeout=60)
    assert server.returncode == 0


def test_port_in_use_is_a_swedish_message() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([COMMAND, "serve", "--port", str(port), "--no-browser"], capture_output=True,
                              text=True, env=environment(), timeout=60, cwd=ROOT)
    assert done.returncode == 1
    assert "porten" in done.stderr and "--port" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_fresh_non_editable_install_serves_the_page(tmp_path: Path) -> None:
    """`pip install .` ships the page's templates and static files (package data), not only the code."""
    import sysconfig
    import venv
    import zipfile

    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w",
                    str(tmp_path / "hjul"), str(ROOT)], check=True, capture_output=True, timeout=300)
    wheel = next((tmp_path / "hjul").glob("aktivitetsplan-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for shipped in ("generator/web/templates/page.html", "generator/web/static/style.css",
                    "generator/web/static/page.js", "generator/templates/aktivitetsplan.docx"):
        assert shipped in names
    target = tmp_path / "miljo"
    venv.create(target, with_pip=False)
    site = Path(sysconfig.get_path("purelib", vars={"base": str(target), "platbase": str(target)}))
    # The dependencies come from the test environment; the package itself only from the wheel.
    (site / "beroenden.pth").write_text(sysconfig.get_path("purelib") + "\n")
    with zipfile.ZipFile(wheel) as package:
        package.extractall(site)
    python = target / "bin" / "python"
    port = free_port("127.0.0.1")
    with subprocess.Popen([str(python), "-m", "generator", "serve", "--port", str(port), "--no-browser"],
                          cwd=tmp_path, env=environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True) as server:
        assert server.stdout is not None
        assert f"http://127.0.0.1:{port}/" in server.stdout.readline()
        base = f"http://127.0.0.1:{port}"
        assert "Arbetsbok (.xlsx)" in httpx.get(base + "/").text
        assert httpx.get(base + "/static/style.css").status_code == 200
        assert httpx.get(base + "/static/page.js").status_code == 200
        where = subprocess.run([str(python), "-c", "import generator; print(generator.__file__)"],
                               capture_output=True, text=True, cwd=tmp_path, check=True).stdout
        assert str(site) in where
        server.send_signal(signal.SIGINT)
        server.communicate(timeout=60)
