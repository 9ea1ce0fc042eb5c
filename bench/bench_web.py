"""Load on `aktivitetsplan serve`: 8 clients post the example plan to /api/generate.

Run: .venv/bin/python bench/bench_web.py [--clients 8] [--requests 1000] [--rate 25] [--paced 750]
First a closed loop (each client posts again as soon as it is answered): the most plans per
second the server gives, CPU per plan, and the server's memory (its process and its workers)
after 100 and after all requests. Then an open loop: the 8 clients together send 25 plans per
second, on a schedule, and the latency of each request is counted from when it was due.
Targets (README, "Webbsidan"): ≥ 25 plans/s; p95 ≤ 150 ms at that load; memory after 1 000
requests within 30 MB of after 100.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "data" / "aktivitetsplan.xlsx"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Resident memory of pid and all its descendants, in MB (Linux /proc)."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (OSError, StopIteration):
            continue
        pending.extend(int(c) for c in children)
    return total / 1024


def cpu_seconds(pid: int, children: bool = True) -> float:
    """User + system CPU time of pid (and its descendants) so far (Linux /proc), in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
            below = Path(f"/proc/{current}/task/{current}/children").read_text().split() if children else []
        except (OSError, IndexError):
            continue
        pending.extend(int(c) for c in below)
    return total


def wait_until_up(url: str, seconds: float = 30) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def run_load(url: str, clients: int, count: int, payload: bytes, rate: float | None = None) -> list[float]:
    """count requests from clients threads; the latency of each.

    Without rate, a closed loop: each client posts, waits for the whole document, posts again
    (the most the server can do). With rate (plans per second, all clients together), an open
    loop: request k is due at start + k / rate and the next free client sends it; its latency is
    counted from when it was due, so a server that falls behind is not flattered by clients that
    waited for it (no "coordinated omission").
    """
    latencies: list[float] = []
    lock = threading.Lock()
    issued = [0]
    begin = time.perf_counter() + 0.05

    host, port = url.split("//", 1)[1].split("/", 1)[0].rsplit(":", 1)
    path = "/" + url.split("//", 1)[1].split("/", 1)[1]
    body, content_type = multipart(payload)

    def client() -> None:
        # The standard library's client on a kept-alive connection: the load generator shares the
        # 2 cores with the server, so it should cost as little as it can (httpx took ~5 ms a request).
        connection = http.client.HTTPConnection(host, int(port), timeout=60)
        try:
            while True:
                with lock:
                    if issued[0] == count:
                        return
                    number = issued[0]
                    issued[0] += 1
                due = begin + number / rate if rate else time.perf_counter()
                pause = due - time.perf_counter()
                if pause > 0:
                    time.sleep(pause)
                connection.request("POST", path, body, {"Content-Type": content_type})
                answer = connection.getresponse()
                content = answer.read()
                elapsed = time.perf_counter() - due
                if answer.status != 200 or not content.startswith(b"PK"):
                    raise SystemExit(f"unexpected answer {answer.status}: {content[:200]!r}")
                with lock:
                    latencies.append(elapsed)
        finally:
            connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies


def multipart(payload: bytes) -> tuple[bytes, str]:
    """The form a browser sends: the workbook in the field arbetsbok."""
    boundary = "aktivitetsplan-bench-7f3a"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"arbetsbok\"; filename=\"aktivitetsplan.xlsx\"\r\n"
            "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n").encode()
    body += payload + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def report(label: str, latencies: list[float], seconds: float) -> None:
    ordered = sorted(latencies)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    print(f"{label}: {len(ordered)} requests, median {statistics.median(ordered) * 1000:.0f} ms, "
          f"p95 {p95 * 1000:.0f} ms, {len(ordered) / seconds:.1f} plans/s")


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=1000, help="closed loop: requests in all")
    parser.add_argument("--rate", type=float, default=25.0, help="open loop: plans per second, all clients")
    parser.add_argument("--paced", type=int, default=750, help="open loop: requests in all (0: skip)")
    args = parser.parse_args()
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", str(port), "--no-browser"],
                              cwd=ROOT, stdout=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/")
        url = base + "/api/generate"
        payload = EXAMPLE.read_bytes()
        print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
              f"load average {os.getloadavg()[0]:.1f}")
        run_load(url, args.clients, 4 * args.clients, payload)  # warm the workers
        cpu_before, client_before = cpu_seconds(server.pid), time.process_time()
        main_before = cpu_seconds(server.pid, children=False)
        print(f"closed loop, {args.clients} clients posting as fast as they are answered (capacity):")
        start = time.perf_counter()
        first = run_load(url, args.clients, 100, payload)
        first_seconds = time.perf_counter() - start
        after_100 = rss_mb(server.pid)
        start = time.perf_counter()
        rest = run_load(url, args.clients, args.requests - 100, payload)
        rest_seconds = time.perf_counter() - start
        after_all = rss_mb(server.pid)
        server_cpu = (cpu_seconds(server.pid) - cpu_before) / args.requests
        main_cpu = (cpu_seconds(server.pid, children=False) - main_before) / args.requests
        client_cpu = (time.process_time() - client_before) / args.requests
        report("  first 100", first, first_seconds)
        report(f"  next {len(rest)}", rest, rest_seconds)
        report("  all", first + rest, first_seconds + rest_seconds)
        capacity = len(first + rest) / (first_seconds + rest_seconds)
        print(f"server memory (with workers): {after_100:.0f} MB after 100, {after_all:.0f} MB after "
              f"{args.requests} ({after_all - after_100:+.0f} MB; target within 30 MB: "
              f"{verdict(abs(after_all - after_100) <= 30)})")
        print(f"CPU per plan: server with workers {server_cpu * 1000:.0f} ms (of which the HTTP process "
              f"{main_cpu * 1000:.0f} ms), this load generator "
              f"{client_cpu * 1000:.0f} ms; on {os.cpu_count()} idle cores that allows at most "
              f"{(os.cpu_count() or 1) / (server_cpu + client_cpu):.0f} plans/s")
        print(f"throughput target >= 25 plans/s: {verdict(capacity >= 25)} ({capacity:.1f})")
        if args.paced:
            print(f"open loop, {args.clients} clients sending {args.rate:g} plans/s together "
                  "(latency counted from when each request was due):")
            start = time.perf_counter()
            paced = run_load(url, args.clients, args.paced, payload, rate=args.rate)
            seconds = time.perf_counter() - start
            report("  paced", paced, seconds)
            ordered = sorted(paced)
            p95 = ordered[int(0.95 * (len(ordered) - 1))]
            kept_up = len(paced) / seconds >= 0.97 * args.rate
            print(f"p95 target <= 150 ms at {args.rate:g} plans/s: {verdict(p95 <= 0.150 and kept_up)} "
                  f"(p95 {p95 * 1000:.0f} ms, {len(paced) / seconds:.1f} plans/s answered)")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
