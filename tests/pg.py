"""A throwaway PostgreSQL server for tests: Debian's own binaries, a cluster in a temp
directory, a Unix socket and a loopback port, gone after the test session.

PostgreSQL refuses to run as root (CI runs as root), so there the cluster belongs to
the ``postgres`` system user and every command runs through ``runuser -u postgres --``.
:func:`pg_missing` says why it cannot start here (no binaries); the tests that need it
skip with that reason, and ``.ci/run`` installs ``postgresql`` so CI never skips.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path


def pg_bin() -> Path | None:
    """The newest ``/usr/lib/postgresql/<n>/bin`` with initdb and pg_ctl, or PG_BIN."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: (
            int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0
        ),
    )
    return Path(found[-1]).parent if found else None


def _as_postgres() -> list[str]:
    """The prefix that runs a command as a user PostgreSQL accepts."""
    if os.geteuid() != 0:
        return []
    runuser = shutil.which("runuser") or "/usr/sbin/runuser"
    return [runuser, "-u", "postgres", "--"]


def pg_missing() -> str | None:
    """Why no throwaway PostgreSQL can start here, or None when it can."""
    b = pg_bin()
    if b is None or not (b / "pg_ctl").is_file():
        return (
            "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin "
            "(apt-get install -y postgresql; .ci/run does)"
        )
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run the server as"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[str]:
    """Start a fresh cluster; yield its SQLAlchemy URL; stop it and delete it."""
    missing = pg_missing()
    if missing:
        raise RuntimeError(missing)
    b = pg_bin()
    assert b is not None
    prefix = _as_postgres()
    base = Path(tempfile.mkdtemp(prefix="batken-pg-"))
    data, sock, log = base / "data", base / "sock", base / "server.log"
    sock.mkdir()
    if prefix:
        shutil.chown(base, "postgres")
        shutil.chown(sock, "postgres")
        os.chmod(base, 0o755)
    port = _free_port()

    def run(*cmd: str, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*prefix, *cmd],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=base,
            check=False,
        )

    try:
        res = run(
            str(b / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C",
        )
        if res.returncode:
            raise RuntimeError(f"initdb failed:\n{res.stdout}\n{res.stderr}")
        opts = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {sock} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
        )
        res = run(str(b / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", opts, "-w", "start")
        if res.returncode:
            text = log.read_text(errors="replace") if log.exists() else ""
            raise RuntimeError(f"pg_ctl start failed:\n{res.stdout}\n{res.stderr}\n{text}")
        url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("PostgreSQL did not accept connections") from None
                time.sleep(0.1)
        yield url
    finally:
        if (data / "postmaster.pid").exists():
            run(str(b / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop", timeout=30)
        shutil.rmtree(base, ignore_errors=True)
