"""Fixtures for the deployment tests: Streamlit replicas and nginx on loopback.

Every process is started in its own process group and stopped in a ``finally``
(SIGTERM, then SIGKILL), so a failing test leaves nothing running.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.load_test import StartedServer, free_port, http_get
from tests.deploy.helpers import APP, NGINX_CONF, log_tail, require_app


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "load: load script (bench/load_test.py) against the real app.py"
    )
    config.addinivalue_line(
        "markers", "deploy: multi-replica example (deploy/nginx.conf) on loopback"
    )


@dataclass
class Cluster:
    url: str
    replicas: list[StartedServer]
    logs: list[Path]
    nginx: subprocess.Popen
    prefix: Path

    def upstreams_served(self) -> list[str]:
        """host:port of the replica that served each logged request, in log order.

        nginx logs a request when it completes (a websocket: when it closes). When it
        tried a dead replica first, $upstream_addr is "dead:port, live:port".
        """
        text = (self.prefix / "logs" / "access.log").read_text(errors="replace")
        found = (re.search(r"upstream=(.*?) rt=", line) for line in text.splitlines())
        return [m.group(1).split(", ")[-1] for m in found if m and m.group(1) != "-"]

    def diagnostics(self) -> str:
        parts = [
            f"--- nginx error.log\n{log_tail(self.prefix / 'logs' / 'error.log')}",
            f"--- nginx access.log\n{log_tail(self.prefix / 'logs' / 'access.log')}",
        ]
        parts += [
            f"--- replica {r.url}\n{log_tail(p)}"
            for r, p in zip(self.replicas, self.logs, strict=True)
        ]
        return "\n".join(parts)


def _stop_group(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """Two `streamlit run app.py` replicas behind nginx (deploy/nginx.conf)."""
    nginx_bin = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )
    if nginx_bin is None:
        pytest.skip("nginx binary not found (CI installs it: apt-get install -y nginx)")
    require_app()

    base = tmp_path_factory.mktemp("cluster")
    prefix = base / "nginx"
    (prefix / "logs").mkdir(parents=True)
    (prefix / "tmp").mkdir()
    # One cookie secret for all replicas, as docs/hosting.md recommends.
    env = {"STREAMLIT_SERVER_COOKIE_SECRET": "test-only-shared-secret"}
    logs = [base / "replica1.log", base / "replica2.log"]
    replicas = [StartedServer(APP, log_path=log, env=env) for log in logs]
    nginx: subprocess.Popen | None = None
    try:
        for r in replicas:
            r.start()
        for r in replicas:
            r.wait_ready()
        port = free_port()
        conf = (
            NGINX_CONF.read_text()
            .replace("__LISTEN_PORT__", str(port))
            .replace("__REPLICA_1__", f"127.0.0.1:{replicas[0].port}")
            .replace("__REPLICA_2__", f"127.0.0.1:{replicas[1].port}")
        )
        conf_path = prefix / "nginx.conf"
        conf_path.write_text(conf)
        nginx = subprocess.Popen(
            [
                nginx_bin,
                "-c",
                str(conf_path),
                "-p",
                f"{prefix}/",
                "-e",
                str(prefix / "logs" / "error.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=open(prefix / "logs" / "stderr.log", "wb"),  # noqa: SIM115
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 15
        while True:
            if nginx.poll() is not None:
                pytest.fail(
                    "nginx exited at start:\n"
                    + log_tail(prefix / "logs" / "stderr.log")
                    + "\n"
                    + log_tail(prefix / "logs" / "error.log")
                )
            with contextlib.suppress(OSError):
                if http_get(url + "/_stcore/health", timeout=2)[0] == 200:
                    break
            if time.monotonic() > deadline:
                pytest.fail(
                    "nginx did not answer /_stcore/health within 15 s:\n"
                    + log_tail(prefix / "logs" / "error.log")
                )
            time.sleep(0.2)
        yield Cluster(url, replicas, logs, nginx, prefix)
    finally:
        if nginx is not None:
            _stop_group(nginx)
        for r in replicas:
            r.stop()
