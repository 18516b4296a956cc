"""Container cold start: how big the image is and how fast a fresh container serves.

    deploy/build-image.sh --engine podman                 # build batken-dashboard first
    python bench/container_start.py                       # 3 cold starts, a table
    python bench/container_start.py --image localhost/batken-dashboard:dev --runs 5 --native

For each run a new container of the image is started with podman (``-p 127.0.0.1:<free
port>:8501``) and timed:

- **healthy**: from ``podman run`` until the image's own HEALTHCHECK passes
  (``podman healthcheck run`` in a loop until ``podman inspect`` reports ``healthy``;
  podman runs it by hand here because its timer needs systemd);
- **first page**: healthy + the time headless Chromium (Debian's ``/usr/bin/chromium``,
  ``BROWSER_PATH`` for another) takes from opening the address to the scenario page
  drawn (KPI cards visible, no script running): the planner who opens the link the
  moment the server is up. The pause in between, while the host's network settles
  after podman made its bridge (see :func:`wait_host_network_settled`), is not counted;
- **stop**: ``podman stop`` (SIGTERM) until it returned; the exit code is reported too;
- **server CPU**: user + system time of the server process (PID 1) when healthy and when
  the first page is drawn. Unlike the wall-clock times, it hardly changes when other work
  shares the machine.

``--native`` times ``streamlit run app.py`` on this machine the same way (health over
HTTP), to show what the container adds. Also printed: the image size (``podman image
inspect``) and, when the base image is present, how much the project's layers add.
Podman is driven as ``deploy/build-image.sh`` drives it (runc, a containers.conf with
``default_ulimits = []``); :class:`Podman` and :class:`Container` are shared with
tests/deploy/test_image.py. Asserts nothing: figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD_SCRIPT = ROOT / "deploy" / "build-image.sh"
STANDIN = "localhost/batken-python-base:3.11-bookworm"
CONTAINERS_CONF = "[containers]\ndefault_ulimits = []\n"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
KPI = '.st-key-kpi_grp [data-testid="stMetricValue"]'
IDLE = '[data-testid="stStatusWidget"]'


class ContainerError(RuntimeError):
    """A container did not do what was asked; the message carries its logs."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_cpu_seconds(stat: str) -> float:
    """utime + stime of a /proc/<pid>/stat line, in seconds (fields 14 and 15)."""
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tail(text: str, lines: int = 60) -> str:
    return "\n".join(text.splitlines()[-lines:])


@dataclass
class Podman:
    """``podman`` with the runtime and containers.conf that work on this kind of host."""

    runtime: str | None
    env: dict[str, str]

    @classmethod
    def from_host(cls, conf_dir: Path) -> Podman | None:
        """None when podman is not installed. Like deploy/build-image.sh: runc when it is
        installed; CONTAINERS_CONF from the environment, else ``default_ulimits = []``."""
        if shutil.which("podman") is None:
            return None
        env = dict(os.environ)
        if not env.get("CONTAINERS_CONF"):
            conf_dir.mkdir(parents=True, exist_ok=True)
            conf = conf_dir / "containers.conf"
            conf.write_text(CONTAINERS_CONF)
            env["CONTAINERS_CONF"] = str(conf)
        runtime = (
            env.get("PODMAN_RUNTIME")
            or shutil.which("runc")
            or ("/usr/sbin/runc" if os.access("/usr/sbin/runc", os.X_OK) else None)
        )
        return cls(runtime, env)

    def cmd(self, *args: str) -> list[str]:
        return ["podman", *(["--runtime", self.runtime] if self.runtime else []), *args]

    def __call__(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.cmd(*args),
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            stdin=subprocess.DEVNULL,
        )

    def image_size(self, image: str) -> int | None:
        res = self("image", "inspect", "--format", "{{.Size}}", image)
        return int(res.stdout.strip()) if res.returncode == 0 else None

    def build(self, tag: str, *extra: str, timeout: float = 1800) -> tuple[float, str]:
        """deploy/build-image.sh --engine podman: (seconds, combined output); raises
        ContainerError with the output's tail when it fails."""
        t0 = time.monotonic()
        try:
            res = subprocess.run(
                ["bash", str(BUILD_SCRIPT), "--engine", "podman", "--tag", tag, *extra],
                env=self.env,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired as exc:
            out = (
                (exc.stdout or b"").decode(errors="replace")
                if isinstance(exc.stdout, bytes)
                else (exc.stdout or "")
            )
            raise ContainerError(
                f"build-image.sh did not finish in {timeout:.0f} s:\n" + tail(out, 80)
            ) from exc
        out = res.stdout + res.stderr
        if res.returncode != 0:
            raise ContainerError(
                f"build-image.sh failed (exit {res.returncode}):\n" + tail(out, 80)
            )
        return time.monotonic() - t0, out


@dataclass
class Container:
    """One detached container, published on a loopback port."""

    podman: Podman
    name: str
    image: str
    port: int
    started: float
    ran: list[str] = field(default_factory=list)

    @classmethod
    def start(
        cls,
        podman: Podman,
        image: str,
        *,
        container_port: int = 8501,
        env: dict[str, str] | None = None,
    ) -> Container:
        name = f"batken-{uuid.uuid4().hex[:10]}"
        port = free_port()
        args = ["run", "-d", "--name", name, "-p", f"127.0.0.1:{port}:{container_port}"]
        for key, value in (env or {}).items():
            args += ["-e", f"{key}={value}"]
        t0 = time.monotonic()
        res = podman(*args, image)
        c = cls(podman, name, image, port, t0, ran=[" ".join(podman.cmd(*args, image))])
        if res.returncode != 0:
            c.remove()
            raise ContainerError(
                f"podman run failed (exit {res.returncode}):\n{res.stdout}{res.stderr}"
            )
        return c

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def inspect(self, fmt: str) -> str:
        return self.podman("inspect", "--format", fmt, self.name).stdout.strip()

    def logs(self) -> str:
        res = self.podman("logs", self.name, timeout=30)
        return tail(res.stdout + res.stderr)

    def diagnostics(self) -> str:
        return (
            f"--- container {self.name} ({self.image}), state "
            f"{self.inspect('{{.State.Status}} exit={{.State.ExitCode}}')}, health "
            f"{self.inspect('{{.State.Health.Status}}')}\n--- podman logs\n{self.logs()}"
        )

    def exec(self, *cmd: str, user: str | None = None) -> subprocess.CompletedProcess[str]:
        return self.podman("exec", *(["--user", user] if user else []), self.name, *cmd, timeout=60)

    def wait_healthy(self, timeout: float = 120) -> float:
        """Run the image's HEALTHCHECK until podman records ``healthy``; seconds since
        ``podman run``. Raises ContainerError (with the logs) if the container exits or
        stays unhealthy."""
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            if self.inspect("{{.State.Status}}") not in ("running", "created", "configured"):
                raise ContainerError(f"the container stopped while starting\n{self.diagnostics()}")
            res = self.podman("healthcheck", "run", self.name, timeout=30)
            last = (res.stdout + res.stderr).strip()
            if res.returncode == 0 and self.inspect("{{.State.Health.Status}}") == "healthy":
                return time.monotonic() - self.started
            time.sleep(0.2)
        raise ContainerError(
            f"not healthy after {timeout:.0f} s (last healthcheck: {last!r})\n{self.diagnostics()}"
        )

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the server, PID 1, has used so far."""
        return proc_cpu_seconds(self.exec("cat", "/proc/1/stat").stdout)

    def stop(self, timeout: int = 30) -> tuple[int, float]:
        """``podman stop`` (SIGTERM, SIGKILL after ``timeout`` s): (exit code, seconds)."""
        t0 = time.monotonic()
        res = self.podman("stop", "-t", str(timeout), self.name, timeout=timeout + 60)
        took = time.monotonic() - t0
        if res.returncode != 0:
            raise ContainerError(f"podman stop failed: {res.stderr}\n{self.diagnostics()}")
        return int(self.inspect("{{.State.ExitCode}}") or -1), took

    def remove(self) -> None:
        self.podman("rm", "-f", "-t", "0", self.name, timeout=60)


def wait_host_network_settled(timeout: float = 15.0) -> None:
    """Wait until no host address is tentative and the address list holds still for 0.5 s.

    Podman creates its bridge (``podman0``) for the first running container; the kernel
    adds the bridge's IPv6 link-local address a second or so later, once duplicate-address
    detection ends. Chromium treats that as "the network changed" and aborts every request
    in flight (``net::ERR_NETWORK_CHANGED``), which leaves a half-loaded, blank page. A
    browser on another machine never sees this; one on the container's host must wait.
    """
    ip = shutil.which("ip") or next(
        (p for p in ("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip") if os.access(p, os.X_OK)), None
    )
    if ip is None:
        return
    deadline = time.monotonic() + timeout
    last, since = "", time.monotonic()
    while time.monotonic() < deadline:
        now = subprocess.run([ip, "-o", "addr"], capture_output=True, text=True, check=False).stdout
        if now != last:
            last, since = now, time.monotonic()
        elif "tentative" not in now and time.monotonic() - since >= 0.5:
            return
        time.sleep(0.1)


def page_seconds(browser, url: str, diagnostics=lambda: "", timeout_ms: int = 60_000) -> float:
    """Open the dashboard at ``url``; seconds until the scenario page is drawn (KPI cards
    visible, no script running). Raises ContainerError with what the page showed."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    try:
        page = context.new_page()
        t0 = time.monotonic()
        try:
            page.goto(url + "/", timeout=timeout_ms)
            page.locator(KPI).first.wait_for(state="visible", timeout=timeout_ms)
            page.locator(IDLE).wait_for(state="detached", timeout=timeout_ms)
        except Exception as exc:  # playwright's errors: say what the page showed instead
            raise ContainerError(
                f"the first page was not drawn: {exc}\n--- page text\n"
                f"{page.inner_text('body')[:1500]}\n{diagnostics()}"
            ) from exc
        return time.monotonic() - t0
    finally:
        context.close()


def one_container_run(podman: Podman, image: str, browser) -> dict:
    c = Container.start(podman, image)
    try:
        healthy = c.wait_healthy()
        cpu_healthy = c.cpu_seconds()
        wait_host_network_settled()
        page = page_seconds(browser, c.url, c.diagnostics)
        cpu_page = c.cpu_seconds()
        code, stop = c.stop()
    finally:
        c.remove()
    return {
        "healthy_s": healthy,
        "page_s": page,
        "stop_s": stop,
        "exit_code": code,
        "cpu_start_s": cpu_healthy,
        "cpu_first_page_s": cpu_page,
    }


def one_native_run(browser) -> dict:
    """The same, for ``streamlit run app.py`` on this machine (no container), health
    polled over HTTP: what the container adds."""
    from bench.load_test import StartedServer

    server = StartedServer(ROOT / "app.py")
    t0 = time.monotonic()
    server.start().wait_ready()
    healthy = time.monotonic() - t0
    stat = Path(f"/proc/{server.pid}/stat")
    try:
        cpu_healthy = proc_cpu_seconds(stat.read_text())
        page = page_seconds(browser, server.url)
        cpu_page = proc_cpu_seconds(stat.read_text())
    finally:
        t1 = time.monotonic()
        server.stop()
        stop = time.monotonic() - t1
    return {
        "healthy_s": healthy,
        "page_s": page,
        "stop_s": stop,
        "exit_code": server.proc.returncode,
        "cpu_start_s": cpu_healthy,
        "cpu_first_page_s": cpu_page,
    }


def launch_chromium(pw):
    """Headless Chromium from a sync_playwright(): Debian's (BROWSER_PATH for another)."""
    return pw.chromium.launch(
        executable_path=os.environ.get("BROWSER_PATH", "/usr/bin/chromium"), args=CHROMIUM_ARGS
    )


def measure(runs: int, run) -> list[dict]:
    """``runs`` cold starts with ``run(browser)``; first page = healthy + page."""
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            for _ in range(runs):
                row = run(browser)
                row["first_page_s"] = row["healthy_s"] + row["page_s"]
                row = {k: round(v, 2) if isinstance(v, float) else v for k, v in row.items()}
                rows.append(row)
                print(
                    f"  run {len(rows)}: healthy {row['healthy_s']:.2f} s, first page "
                    f"{row['first_page_s']:.2f} s, stop {row['stop_s']:.2f} s "
                    f"(exit {row['exit_code']}); server CPU {row['cpu_start_s']:.2f} s "
                    f"to healthy, {row['cpu_first_page_s']:.2f} s to first page",
                    flush=True,
                )
        finally:
            browser.close()
    return rows


def summarise(rows: list[dict]) -> dict:
    out: dict = {"runs": rows}
    for key in ("healthy_s", "first_page_s", "stop_s", "cpu_start_s", "cpu_first_page_s"):
        values = [r[key] for r in rows]
        out[f"{key}_median"] = round(statistics.median(values), 2)
        out[f"{key}_range"] = [min(values), max(values)]
    print(
        f"median of {len(rows)}: healthy {out['healthy_s_median']} s, first page "
        f"{out['first_page_s_median']} s, stop {out['stop_s_median']} s; server CPU "
        f"{out['cpu_start_s_median']} s to healthy, {out['cpu_first_page_s_median']} s to "
        "first page",
        flush=True,
    )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--image", default="localhost/batken-dashboard:latest")
    ap.add_argument(
        "--base",
        default=STANDIN,
        help="base image, to report what the project adds (default: %(default)s)",
    )
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument(
        "--build",
        action="store_true",
        help="build the image first with deploy/build-image.sh --engine podman",
    )
    ap.add_argument(
        "--native",
        action="store_true",
        help="also time `streamlit run app.py` on this machine, for comparison",
    )
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))  # bench.load_test, when run as a script
    if not 1 <= args.runs <= 20:
        ap.error("--runs must be 1-20")

    podman = Podman.from_host(Path(tempfile.gettempdir()) / "batken-image")
    if podman is None:
        print("podman is not installed (apt-get install -y podman runc mmdebstrap)")
        return 2
    result: dict = {
        "date": dt.date.today().isoformat(),
        "image": args.image,
        "cpus": os.cpu_count(),
    }
    if args.build:
        took, _ = podman.build(args.image)
        result["build_s"] = round(took, 1)
        print(f"built {args.image} in {took:.0f} s")
    size = podman.image_size(args.image)
    if size is None:
        print(f"no image {args.image}: build it with deploy/build-image.sh (or --build)")
        return 2
    base = podman.image_size(args.base)
    result |= {
        "size_mb": round(size / 1e6),
        "base_mb": base and round(base / 1e6),
        "added_mb": base and round((size - base) / 1e6),
    }
    print(
        f"image {args.image}: {size / 1e6:.0f} MB"
        + (f" ({args.base} {base / 1e6:.0f} MB + {(size - base) / 1e6:.0f} MB)" if base else "")
    )
    result["container"] = summarise(
        measure(args.runs, lambda b: one_container_run(podman, args.image, b))
    )
    if args.native:
        print("the same app without a container (streamlit run app.py):")
        result["native"] = summarise(measure(args.runs, one_native_run))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
