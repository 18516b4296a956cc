"""Bounded, loopback-only load test for the Streamlit dashboard.

Holds N concurrent sessions (default 30) for D seconds (default 60) against one
Streamlit server. Each session speaks Streamlit's own websocket protocol, as the
browser does: it opens ``ws://HOST:PORT/_stcore/stream``, asks for a script run
(``BackMsg.rerun_script``), reads ``ForwardMsg``s until ``script_finished``, learns
the sliders from the deltas of that run, then repeatedly moves one slider to a
random valid value and waits for the rerun to finish.

Reported: errors (goal 0), p50/p95/max time from "lever moved" to "rerun
finished", reruns per second, and server memory per session (VmRSS of the server
process after a warm-up run, again with every session connected, difference
divided by sessions).

With ``--hostile N`` (issue #11, "Injection and exhaustion"), N hostile sessions join:
each uploads ``--hostile-files`` files of just under the size cap, each the slowest
shape for the TOML parser (a header of ~130,000 dotted parts, ~10 s of CPU each before
the app refused such files up front), keeps its Files page rerunning with them, and
runs the largest Sobol analysis again and again with new settings. The ordinary
sessions are measured twice: on the idle server first, then beside the hostile ones;
the run fails if their median rerun time grows more than ``--max-slowdown`` (2x).

    python bench/load_test.py --start app.py                      # 30 sessions, 60 s
    python bench/load_test.py --start app.py --sessions 3 --duration 5
    python bench/load_test.py --start app.py --sessions 2 --hostile 4 --duration 30
    python bench/load_test.py --url http://127.0.0.1:8501 --pid 1234
    python bench/load_test.py --start app.py --workshop --sessions 40 --duration 60

With ``--workshop`` (issue 12, workshop rooms), the sessions are the participants of one
room: the script creates the room and joins every session to it through the store
(``rooms``, on a fresh SQLite file given to the started server as ``BATKEN_ROOMS_DB``, or
``--rooms-db URL`` for a running server), each session opens the app with its own
participant link, so every lever move is also saved to the room. One more session is the
facilitator: it opens the Workshop page with the room's facilitator link and then asks
for the live view's own refreshes as a browser does (the fragment id and interval the page
announces with ``st.fragment(run_every=...)``); each refresh is timed, and every tenth
time a whole page run instead, reported apart. At the end the store must hold a saved
scenario of every participant.

Only loopback servers are accepted: this is a benchmark of our own server, never
a tool to point at someone else's. Everything is bounded: sessions <= 200,
duration <= 900 s, every connection and rerun has a timeout, and the whole run
has a hard deadline. Exit status: 0 if no errors and at least one rerun
finished, 1 otherwise, 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gzip
import ipaddress
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

MAX_SESSIONS = 200
MAX_DURATION_S = 900.0
SERVER_START_TIMEOUT_S = 90.0
WS_MAX_MESSAGE_BYTES = 64 * 1024 * 1024


# --------------------------------------------------------------------------- helpers


def is_loopback_host(host: str) -> bool:
    """True only if every address ``host`` names is a loopback address."""
    if not host:
        return False
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    if host.lower() != "localhost":
        return False  # refuse to resolve arbitrary names: they could point anywhere
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return bool(infos) and all(ipaddress.ip_address(i[4][0]).is_loopback for i in infos)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int | None) -> float | None:
    """Resident set size of ``pid`` in MB (VmRSS from /proc), or None."""
    if pid is None:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    except (OSError, ValueError, IndexError):
        return None
    return None


def pid_listening_on(port: int) -> int | None:
    """Best effort: the pid of the process listening on TCP ``port`` (Linux /proc)."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if len(parts) > 9 and parts[3] == "0A" and int(parts[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(parts[9])
    if not inodes:
        return None
    targets = {f"socket:[{i}]" for i in inodes}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            for fd in (proc / "fd").iterdir():
                with contextlib.suppress(OSError):
                    if os.readlink(fd) in targets:
                        return int(proc.name)
    return None


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: no proxy


def http_get(url: str, timeout: float) -> tuple[int, str]:
    with _opener().open(url, timeout=timeout) as resp:
        return resp.status, resp.read().decode("utf-8", "replace")


def http_get_tables(url: str, timeout: float) -> tuple[int, object]:
    """GET a run's live tables as a browser does: gzip accepted, the body unzipped and
    read as JSON. (Without the header the server would skip compressing them, which a
    browser never lets it.)"""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    with _opener().open(request, timeout=timeout) as resp:
        body = resp.read()
        if resp.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return resp.status, json.loads(body)


def wait_healthy(base_url: str, timeout: float, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode} before it was healthy")
        try:
            status, body = http_get(base_url + "/_stcore/health", timeout=2)
            if status == 200 and body.strip() == "ok":
                return
        except Exception as exc:  # connection refused while starting
            last = exc
        time.sleep(0.2)
    raise TimeoutError(f"{base_url}/_stcore/health not ok after {timeout:.0f} s ({last})")


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[round(q) - 1]


# --------------------------------------------------------------------------- server


async def open_session(ws_url: str, timeout: float):
    """A websocket to Streamlit's session endpoint, as the browser opens it."""
    from websockets.asyncio.client import connect

    return await asyncio.wait_for(
        connect(
            ws_url,
            subprotocols=["streamlit"],
            max_size=WS_MAX_MESSAGE_BYTES,
            open_timeout=timeout,
            proxy=None,
            compression=None,
        ),
        timeout + 1,
    )


class StartedServer:
    """``streamlit run APP`` on a free 127.0.0.1 port, in its own process group.

    ``with StartedServer(app) as s:`` starts it and waits for /_stcore/health;
    ``start()`` then ``wait_ready()`` lets several servers boot in parallel.
    """

    def __init__(
        self,
        app: Path,
        port: int | None = None,
        log_path: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.app = Path(app).resolve()
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.env = env
        self.proc: subprocess.Popen | None = None
        self._log = None

    def start(self) -> StartedServer:
        cmd = [
            sys.executable, "-m", "streamlit", "run", str(self.app),
            "--server.headless", "true",
            "--server.address", "127.0.0.1",
            "--server.port", str(self.port),
            "--server.fileWatcherType", "none",
            "--server.runOnSave", "false",
            "--browser.gatherUsageStats", "false",
        ]  # fmt: skip
        self._log = open(self.log_path, "wb") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self.proc = subprocess.Popen(
            cmd,
            cwd=self.app.parent,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            env={**os.environ, **(self.env or {})},
        )
        return self

    def wait_ready(self, timeout: float = SERVER_START_TIMEOUT_S) -> StartedServer:
        try:
            wait_healthy(self.url, timeout, self.proc)
        except BaseException:
            self.stop()
            raise
        return self

    def __enter__(self) -> StartedServer:
        return self.start().wait_ready()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def stop(self) -> None:
        """SIGTERM the process group, SIGKILL after 10 s; idempotent."""
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        if self._log not in (None, subprocess.DEVNULL):
            self._log.close()
            self._log = None


# --------------------------------------------------------------------------- protocol


@dataclass
class SliderInfo:
    widget_id: str
    label: str
    minimum: float
    maximum: float
    step: float
    is_int: bool
    value: list[float]

    def random_value(self, rng: random.Random) -> list[float]:
        span = self.maximum - self.minimum
        steps = max(0, round(span / self.step)) if self.step > 0 else 0

        def pick() -> float:
            v = self.minimum + rng.randint(0, steps) * self.step if steps else self.minimum
            v = min(max(v, self.minimum), self.maximum)
            return float(round(v)) if self.is_int else round(v, 10)

        for _ in range(5):  # prefer a value that differs, so the rerun has work to do
            new = sorted(pick() for _ in self.value) or [pick()]
            if new != self.value:
                return new
        return new


@dataclass
class RunOutcome:
    status: str  # "ok", or an error kind
    seconds: float
    detail: str = ""


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    first_runs: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)
    sessions_connected: int = 0
    sliders_seen: int = 0
    live_fetches: list[float] = field(default_factory=list)  # seconds per tables fetch

    def error(self, kind: str, detail: str = "") -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1
        if detail and len(self.error_samples) < 10:
            self.error_samples.append(f"{kind}: {detail}"[:300])


def _import_protos():
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    return BackMsg, ForwardMsg


def _collect_slider(delta, sliders: dict[str, SliderInfo], old: dict[str, SliderInfo]) -> None:
    """Record a numeric st.slider from a new_element delta (select_slider, dates skipped)."""
    from streamlit.proto.Slider_pb2 import Slider

    if delta.WhichOneof("type") != "new_element":
        return
    element = delta.new_element
    if element.WhichOneof("type") != "slider":
        return
    s = element.slider
    if s.type == Slider.Type.SELECT_SLIDER or s.data_type not in (Slider.INT, Slider.FLOAT):
        return
    if s.form_id or s.disabled or getattr(s, "ignore_rerun", False):
        return  # moving it would not rerun the script
    previous = old.get(s.id)
    value = previous.value if previous else [float(v) for v in (s.value or s.default)]
    sliders[s.id] = SliderInfo(
        widget_id=s.id,
        label=s.label,
        minimum=float(s.min),
        maximum=float(s.max),
        step=float(s.step) or (1.0 if s.data_type == Slider.INT else 0.01),
        is_int=s.data_type == Slider.INT,
        value=value,
    )


def _live_url(component) -> str:
    """The address of the live tables the scenario page's run gives its script."""
    if not component.component_name.endswith("batken_live"):
        return ""
    with contextlib.suppress(ValueError, TypeError, AttributeError):
        return str(json.loads(component.json).get("url") or "")
    return ""


class Session:
    """One simulated planner: one websocket, one Streamlit session."""

    def __init__(self, index: int, ws_url: str, args: argparse.Namespace, stats: Stats):
        self.index = index
        self.ws_url = ws_url
        self.args = args
        self.stats = stats
        self.rng = random.Random(args.seed * 1000 + index)
        self.sliders: dict[str, SliderInfo] = {}
        self.page_script_hash = ""
        self.BackMsg, self.ForwardMsg = _import_protos()

    def on_message(self, fm, kind: str) -> None:
        """Every ForwardMsg of a run (subclasses look at more than sliders)."""

    def _rerun_msg(self) -> bytes:
        msg = self.BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.args.query
        cs.page_script_hash = self.page_script_hash
        for info in self.sliders.values():
            ws = cs.widget_states.widgets.add()
            ws.id = info.widget_id
            ws.double_array_value.data.extend(info.value)
        self.add_widget_states(cs.widget_states)
        return msg.SerializeToString()

    def add_widget_states(self, states) -> None:
        """More widget states for the next rerun (subclasses)."""

    async def _run_once(self, ws) -> RunOutcome:
        """Send one rerun request; read until the run finishes."""
        FM = self.ForwardMsg
        started = time.perf_counter()
        await ws.send(self._rerun_msg())
        old, found = self.sliders, {}
        exception_detail = ""
        live_url = ""
        while True:
            raw = await ws.recv()
            if isinstance(raw, str):
                return RunOutcome("protocol", time.perf_counter() - started, "text frame")
            fm = FM()
            fm.ParseFromString(raw)
            kind = fm.WhichOneof("type")
            self.on_message(fm, kind)
            if kind == "new_session":
                self.page_script_hash = (
                    fm.new_session.page_script_hash or fm.new_session.main_script_hash
                )
            elif kind == "delta":
                _collect_slider(fm.delta, found, old)
                el = fm.delta.new_element if fm.delta.WhichOneof("type") == "new_element" else None
                if el is not None and el.WhichOneof("type") == "exception" and not exception_detail:
                    exception_detail = f"{el.exception.type}: {el.exception.message}"
                if el is not None and el.WhichOneof("type") == "bidi_component":
                    live_url = live_url or _live_url(el.bidi_component)
            elif kind == "session_event":
                if fm.session_event.WhichOneof("type") == "script_compilation_exception":
                    exc = fm.session_event.script_compilation_exception
                    return RunOutcome("compile_error", time.perf_counter() - started, exc.message)
            elif kind == "page_not_found":
                return RunOutcome("page_not_found", time.perf_counter() - started)
            elif kind == "script_finished":
                status = fm.script_finished
                if status == FM.FINISHED_EARLY_FOR_RERUN:
                    continue  # superseded by a rerun; keep waiting for that one
                elapsed = time.perf_counter() - started
                if found:
                    self.sliders = found
                if status == FM.FINISHED_WITH_COMPILE_ERROR:
                    return RunOutcome("compile_error", elapsed)
                if exception_detail:
                    return RunOutcome("exception", elapsed, exception_detail)
                if live_url:
                    await self._fetch_live(live_url)
                return RunOutcome("ok", elapsed)

    async def _fetch_live(self, path: str) -> None:
        """As the page's script does once a run has ended: fetch the run's live tables
        (ui/live.py). Not part of the run's time; a failed fetch is an error."""
        base = "http" + self.ws_url.removeprefix("ws").split("/_stcore/")[0]
        started = time.perf_counter()
        try:
            status, _ = await asyncio.to_thread(
                http_get_tables, base + path, self.args.rerun_timeout
            )
        except Exception as exc:
            self.stats.error("live_tables", repr(exc))
            return
        if status != 200:
            self.stats.error("live_tables", f"HTTP {status}")
            return
        self.stats.live_fetches.append(time.perf_counter() - started)

    timeout_arg = "rerun_timeout"

    async def _timed_run(self, ws) -> RunOutcome:
        timeout = getattr(self.args, self.timeout_arg)
        try:
            return await asyncio.wait_for(self._run_once(ws), timeout)
        except TimeoutError:
            return RunOutcome("timeout", timeout)

    async def run(self, deadline: float, connected: asyncio.Event) -> None:
        args, stats = self.args, self.stats
        await asyncio.sleep(self.index * args.ramp / max(1, args.sessions))
        try:
            ws = await open_session(self.ws_url, args.connect_timeout)
        except Exception as exc:
            stats.error("connect", repr(exc))
            return
        try:
            stats.sessions_connected += 1
            if stats.sessions_connected == args.sessions:
                connected.set()
            first = await self._timed_run(ws)
            if first.status != "ok":
                stats.error(first.status, f"first run: {first.detail}")
                return
            stats.first_runs.append(first.seconds)
            stats.sliders_seen = max(stats.sliders_seen, len(self.sliders))
            if not self.sliders:
                stats.error("no_sliders", "first run rendered no numeric st.slider")
                return
            while time.monotonic() < deadline:
                info = self.rng.choice(list(self.sliders.values()))
                info.value = info.random_value(self.rng)
                outcome = await self._timed_run(ws)
                if outcome.status == "ok":
                    stats.latencies.append(outcome.seconds)
                else:
                    stats.error(outcome.status, f"{info.label}: {outcome.detail}")
                    if outcome.status == "timeout":
                        return  # connection state unknown; do not pile on
                if args.think > 0:
                    pause = self.rng.uniform(0.5, 1.5) * args.think
                    await asyncio.sleep(max(0.0, min(pause, deadline - time.monotonic())))
        except Exception as exc:  # connection closed, protocol error, ...
            stats.error("connection", repr(exc))
        finally:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(ws.close(), 5)


# --------------------------------------------------------------------------- workshop


class ParticipantSession(Session):
    """A workshop participant: the app opened with their own link (``room`` and ``p``)."""

    def __init__(self, index: int, ws_url: str, args: argparse.Namespace, stats: Stats, query: str):
        super().__init__(index, ws_url, args, stats)
        self.query = query

    def _rerun_msg(self) -> bytes:
        msg = self.BackMsg()
        msg.ParseFromString(super()._rerun_msg())
        msg.rerun_script.query_string = self.query
        return msg.SerializeToString()


@dataclass
class FacilitatorStats:
    refreshes: list[float] = field(default_factory=list)  # the view's own refreshes
    page_runs: list[float] = field(default_factory=list)  # whole Workshop page runs
    errors: dict[str, int] = field(default_factory=dict)
    samples: list[str] = field(default_factory=list)

    def error(self, kind: str, detail: str = "") -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1
        if detail and len(self.samples) < 5:
            self.samples.append(f"{kind}: {detail}"[:300])


class FacilitatorSession(Session):
    """The facilitator, as their browser behaves: opens the Workshop page with the
    facilitator's link, then the live view refreshes itself as the page asked
    (``st.fragment(run_every=...)``: Streamlit sends an ``auto_rerun`` with the
    fragment's id and interval, and the browser asks for a run of that fragment at
    that interval). Each refresh is timed from the request to its ``script_finished``.
    Every ``PAGE_EVERY``-th time the whole page is run instead (as when the facilitator
    touches a control), timed apart."""

    PAGE_EVERY = 10

    def __init__(self, ws_url: str, args: argparse.Namespace, fstats: FacilitatorStats, query: str):
        super().__init__(-2, ws_url, args, Stats())
        self.fstats = fstats
        self.query = query
        self.pages: dict[str, str] = {}
        self.fragment: tuple[str, float] | None = None  # (fragment id, interval s)
        self.refresh_next = False

    def on_message(self, fm, kind: str) -> None:
        if kind == "navigation":
            self.pages = {p.url_pathname: p.page_script_hash for p in fm.navigation.app_pages}
        elif kind == "auto_rerun":
            self.fragment = (fm.auto_rerun.fragment_id, float(fm.auto_rerun.interval))

    def _rerun_msg(self) -> bytes:
        msg = self.BackMsg()
        msg.ParseFromString(super()._rerun_msg())
        cs = msg.rerun_script
        cs.query_string = self.query
        if self.refresh_next and self.fragment is not None:
            cs.fragment_id = self.fragment[0]
            cs.is_auto_rerun = True
        return msg.SerializeToString()

    async def run(self, deadline: float, connected: asyncio.Event) -> None:
        fs = self.fstats
        try:
            ws = await open_session(self.ws_url, self.args.connect_timeout)
        except Exception as exc:
            fs.error("connect", repr(exc))
            return
        try:
            first = await self._timed_run(ws)
            if first.status != "ok" or "workshop" not in self.pages:
                fs.error("first_run", f"{first.status}: no Workshop page ({first.detail})")
                return
            self.page_script_hash = self.pages["workshop"]
            n = 0
            while time.monotonic() < deadline:
                self.refresh_next = n % self.PAGE_EVERY != 0 and self.fragment is not None
                outcome = await self._timed_run(ws)
                if outcome.status == "ok":
                    (fs.refreshes if self.refresh_next else fs.page_runs).append(outcome.seconds)
                else:
                    fs.error(outcome.status, outcome.detail)
                    if outcome.status == "timeout":
                        return
                if n == 0 and self.fragment is None:
                    fs.error("no_refresh", "the Workshop page asked for no auto-refresh")
                    return
                n += 1
                interval = self.fragment[1] if self.fragment else 2.0
                await asyncio.sleep(max(0.0, min(interval, deadline - time.monotonic())))
        except Exception as exc:
            fs.error("connection", repr(exc))
        finally:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(ws.close(), 5)


def workshop_room(db_url: str, n: int) -> tuple[str, str, list[str]]:
    """A new room with ``n`` participants in the store: (code, facilitator key, tokens)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from rooms import RoomStore

    store = RoomStore(db_url)
    try:
        room, key = store.create_room("load test")
        tokens = [store.join(room.code, f"load {i}")[1] for i in range(n)]
    finally:
        store.close()
    return room.code, key, tokens


def workshop_saved(db_url: str, code: str) -> tuple[int, int]:
    """(participants with a saved scenario, scenario saves) in the room."""
    from rooms import RoomStore

    store = RoomStore(db_url)
    try:
        entries = store.entries(code)
    finally:
        store.close()
    return sum(1 for e in entries if e.settings is not None), sum(e.saves for e in entries)


# --------------------------------------------------------------------------- hostile


#: Just under the app's scenario-file cap (scenarios.MAX_FILE_BYTES, 256 KB).
HOSTILE_FILE_BYTES = 256 * 1024 - 64
SOBOL_LARGEST = "1024"  # the largest Sobol size the Analysis page offers


def hostile_file(tag: str) -> bytes:
    """A table header of ~130,000 dotted parts filling the file: ~10 s of CPU in tomllib
    (then a RecursionError) before the app refused such files up front."""
    head = f"# {tag}\n["
    n = (HOSTILE_FILE_BYTES - len(head) - 3) // 2
    return (head + "a." * n + "a]\n").encode()


def _multipart(name: str, data: bytes, boundary: str) -> bytes:
    return (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{name}"\r\nContent-Type: application/toml\r\n\r\n'
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )


def xsrf_cookie(base_url: str, timeout: float) -> str | None:
    """The value of Streamlit's XSRF cookie (set by the health check the browser calls
    before it connects), or None when XSRF protection is off."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(base_url + "/_stcore/health", timeout=timeout) as resp:
        for header in resp.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            if name.strip() == "_streamlit_xsrf":
                return rest.split(";", 1)[0]
    return None


def put_file(url: str, name: str, data: bytes, cookie: str | None, timeout: float) -> int:
    """Upload one file the way the browser does (multipart PUT with the XSRF token)."""
    boundary = f"----batken{random.getrandbits(64):x}"
    req = urllib.request.Request(url, data=_multipart(name, data, boundary), method="PUT")
    req.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
    if cookie:
        req.add_header("Cookie", f"_streamlit_xsrf={cookie}")
        req.add_header("X-Xsrftoken", cookie)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(req, timeout=timeout) as resp:
        return resp.status


@dataclass
class HostileStats:
    uploads: int = 0  # files uploaded
    file_page_runs: list[float] = field(default_factory=list)
    sobol_clicks: int = 0  # largest Sobol runs asked for
    sobol_runs: list[float] = field(default_factory=list)  # ... and finished
    errors: dict[str, int] = field(default_factory=dict)
    samples: list[str] = field(default_factory=list)

    def error(self, kind: str, detail: str = "") -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1
        if detail and len(self.samples) < 5:
            self.samples.append(f"{kind}: {detail}"[:300])


class HostileSession(Session):
    """A visitor who tries to exhaust the server: uploads ``--hostile-files`` files of
    just under the size cap, each the slowest shape for the TOML parser, keeps the
    Files page rerunning with them, and runs the largest Sobol analysis again and again,
    each time with other settings so that no shared result answers it."""

    timeout_arg = "hostile_timeout"

    def __init__(
        self, index: int, base_url: str, ws_url: str, args: argparse.Namespace, hstats: HostileStats
    ):
        super().__init__(index, ws_url, args, Stats())
        self.base_url = base_url
        self.hstats = hstats
        self.session_id = ""
        self.pages: dict[str, str] = {}
        self.ids: dict[str, str] = {}  # user key -> widget id
        self.extra: list = []  # functions adding widget states to the next rerun
        self.url_responses: dict[str, object] = {}

    def on_message(self, fm, kind: str) -> None:
        if kind == "new_session" and fm.new_session.initialize.session_id:
            self.session_id = fm.new_session.initialize.session_id
        elif kind == "navigation":
            self.pages = {p.url_pathname: p.page_script_hash for p in fm.navigation.app_pages}
        elif kind == "file_urls_response":
            self.url_responses[fm.file_urls_response.response_id] = fm.file_urls_response
        elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
            element = fm.delta.new_element
            widget = getattr(element, element.WhichOneof("type") or "", None)
            widget_id = getattr(widget, "id", "")
            if isinstance(widget_id, str) and "-" in widget_id:
                self.ids[widget_id.rsplit("-", 1)[-1]] = widget_id

    def add_widget_states(self, states) -> None:
        for fill in self.extra:
            fill(states.widgets.add())

    async def _files_request(self, ws, names: list[str]):
        msg = self.BackMsg()
        request_id = f"r{random.getrandbits(32):x}"
        msg.file_urls_request.request_id = request_id
        msg.file_urls_request.session_id = self.session_id
        msg.file_urls_request.file_names.extend(names)
        await ws.send(msg.SerializeToString())
        while request_id not in self.url_responses:
            raw = await asyncio.wait_for(ws.recv(), self.args.rerun_timeout)
            if isinstance(raw, bytes):
                fm = self.ForwardMsg()
                fm.ParseFromString(raw)
                self.on_message(fm, fm.WhichOneof("type"))
        return self.url_responses.pop(request_id)

    async def _upload(self, ws, cookie: str | None) -> list:
        from streamlit.proto.Common_pb2 import UploadedFileInfo

        names = [f"hostile_{self.index}_{i}.toml" for i in range(self.args.hostile_files)]
        response = await self._files_request(ws, names)
        infos = []
        for name, urls in zip(names, response.file_urls, strict=True):
            data = hostile_file(name)
            url = urls.upload_url if "://" in urls.upload_url else self.base_url + urls.upload_url
            await asyncio.to_thread(put_file, url, name, data, cookie, self.args.connect_timeout)
            self.hstats.uploads += 1
            info = UploadedFileInfo(name=name, size=len(data), file_id=urls.file_id)
            info.file_urls.CopyFrom(urls)
            infos.append(info)
        return infos

    def _set_page(self, url_path: str) -> None:
        self.page_script_hash = self.pages[url_path]
        self.extra = []

    async def run(self, deadline: float, connected: asyncio.Event) -> None:
        hs, args = self.hstats, self.args
        try:
            cookie = await asyncio.to_thread(xsrf_cookie, self.base_url, args.connect_timeout)
            ws = await open_session(self.ws_url, args.connect_timeout)
        except Exception as exc:
            hs.error("connect", repr(exc))
            return
        try:
            if (await self._timed_run(ws)).status != "ok" or not self.pages:
                hs.error("first_run", "no navigation in the first run")
                return
            # Road spending: moved before each Sobol run (a programme, so the analysis
            # applies; new settings each time, so no shared result answers it).
            lever = self.sliders[self.ids["infrastructure_spend"]]
            self.sliders = {}
            self._set_page("files")
            await self._timed_run(ws)
            infos = await self._upload(ws, cookie)
            uploader = self.ids.get("upload")

            def files_state(ws_) -> None:
                ws_.id = uploader
                ws_.file_uploader_state_value.uploaded_file_info.extend(infos)

            while time.monotonic() < deadline:
                self._set_page("files")
                self.extra = [files_state]
                outcome = await self._timed_run(ws)
                if outcome.status != "ok":
                    hs.error("files_" + outcome.status, outcome.detail)
                    if outcome.status == "timeout":
                        return
                hs.file_page_runs.append(outcome.seconds)
                self._set_page("analysis")
                value = lever.random_value(self.rng)
                while value[0] <= lever.minimum:
                    value = lever.random_value(self.rng)

                def lever_state(ws_, key=lever.widget_id, value=value) -> None:
                    ws_.id = key
                    ws_.double_array_value.data.extend(value)

                if "sobol_run" not in self.ids:
                    self.extra = [lever_state]
                    await self._timed_run(ws)  # learn the page's widgets
                    if "sobol_run" not in self.ids:
                        hs.error("no_sobol", "the Analysis page shows no Sobol button")
                        return

                def sobol_click(ws_, key=self.ids["sobol_run"]) -> None:
                    ws_.id = key
                    ws_.trigger_value = True

                def sobol_size(ws_, key=self.ids["sobol_size"]) -> None:
                    ws_.id = key
                    ws_.string_array_value.data.append(SOBOL_LARGEST)

                self.extra = [sobol_size, lever_state, sobol_click]
                hs.sobol_clicks += 1
                outcome = await self._timed_run(ws)
                if outcome.status == "ok":
                    hs.sobol_runs.append(outcome.seconds)
                else:
                    hs.error("sobol_" + outcome.status, outcome.detail)
                    if outcome.status == "timeout":
                        return
        except Exception as exc:  # connection closed, protocol error, ...
            hs.error("connection", repr(exc))
        finally:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(ws.close(), 5)


async def _sample_rss(pid: int | None, stop: asyncio.Event, peak: list[float]) -> None:
    while not stop.is_set():
        value = rss_mb(pid)
        if value is not None:
            peak[0] = max(peak[0], value)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.5)


async def run_load(base_url: str, pid: int | None, args: argparse.Namespace) -> dict:
    parsed = urlparse(base_url)
    ws_url = f"ws://{parsed.hostname}:{parsed.port}{parsed.path.rstrip('/')}/_stcore/stream"

    # Warm-up: one session, one run, so that imports and caches shared by every
    # session are paid for before the memory baseline is taken.
    warm_stats = Stats()
    warm_args = argparse.Namespace(**{**vars(args), "sessions": 1, "ramp": 0.0, "think": 0.0})
    await Session(-1, ws_url, warm_args, warm_stats).run(time.monotonic(), asyncio.Event())
    await asyncio.sleep(1.0)  # let the server drop the warm-up session
    rss_before = rss_mb(pid)

    stats = Stats()
    for kind, n in warm_stats.errors.items():
        stats.errors["warmup_" + kind] = n
    stats.error_samples.extend(warm_stats.error_samples)

    peak = [rss_before or 0.0]
    stop = asyncio.Event()
    sampler = asyncio.create_task(_sample_rss(pid, stop, peak))

    # With --hostile: the same ordinary sessions first on the idle server (the
    # reference), then again while the hostile sessions run.
    idle: Stats | None = None
    hstats = HostileStats()
    hostile_tasks: list[asyncio.Task] = []
    if args.hostile:
        idle = Stats()
        await _ordinary_sessions(ws_url, args, args.idle_duration, idle)
        until = time.monotonic() + args.hostile_warmup + args.ramp + args.duration
        hostile_tasks = [
            asyncio.create_task(
                HostileSession(i, base_url, ws_url, args, hstats).run(until, asyncio.Event())
            )
            for i in range(args.hostile)
        ]
        await asyncio.sleep(args.hostile_warmup)  # uploads done, Sobol runs queued

    connected = asyncio.Event()
    t0 = time.monotonic()
    deadline = t0 + args.ramp + args.duration
    fstats = FacilitatorStats()
    if args.workshop:
        code, key, tokens = workshop_room(args.rooms_db, args.sessions)
        tasks = [
            asyncio.create_task(
                ParticipantSession(i, ws_url, args, stats, f"room={code}&p={tokens[i]}").run(
                    deadline, connected
                )
            )
            for i in range(args.sessions)
        ]
        tasks.append(
            asyncio.create_task(
                FacilitatorSession(ws_url, args, fstats, f"room={code}&key={key}").run(
                    deadline, asyncio.Event()
                )
            )
        )
    else:
        tasks = [
            asyncio.create_task(Session(i, ws_url, args, stats).run(deadline, connected))
            for i in range(args.sessions)
        ]
    rss_loaded: float | None = None

    async def sample_loaded() -> None:
        nonlocal rss_loaded
        # RSS with every session connected, taken near the end of the run.
        await asyncio.sleep(max(0.0, deadline - time.monotonic() - 1.0))
        rss_loaded = rss_mb(pid)

    loaded_task = asyncio.create_task(sample_loaded())
    hard_limit = args.ramp + args.duration + args.rerun_timeout + args.connect_timeout + 15
    _done, pending = await asyncio.wait(tasks, timeout=hard_limit)
    for task in pending:
        task.cancel()
        stats.error("hard_deadline", "session still running at the hard deadline")
    await asyncio.gather(*pending, return_exceptions=True)
    elapsed = time.monotonic() - t0
    for task in hostile_tasks:  # measured: stop them (a queued Sobol run may take minutes)
        task.cancel()
    await asyncio.gather(*hostile_tasks, return_exceptions=True)
    loaded_task.cancel()
    stop.set()
    await asyncio.gather(sampler, loaded_task, return_exceptions=True)
    if rss_loaded is None:
        rss_loaded = rss_mb(pid)

    lat = stats.latencies
    per_session = None
    if rss_before is not None and rss_loaded is not None:
        per_session = (rss_loaded - rss_before) / args.sessions
    ms = lambda v: None if v is None else round(v * 1000, 1)  # noqa: E731
    return {
        "url": base_url,
        "server_pid": pid,
        "sessions": args.sessions,
        "sessions_connected": stats.sessions_connected,
        "duration_s": args.duration,
        "elapsed_s": round(elapsed, 2),
        "think_s": args.think,
        "sliders_per_session": stats.sliders_seen,
        "reruns": len(lat),
        "reruns_per_s": round(len(lat) / max(elapsed, 1e-9), 2),
        "errors": sum(stats.errors.values()),
        "errors_by_kind": stats.errors,
        "error_samples": stats.error_samples,
        "rerun_p50_ms": ms(percentile(lat, 50)),
        "rerun_p95_ms": ms(percentile(lat, 95)),
        "rerun_max_ms": ms(max(lat) if lat else None),
        "first_run_p50_ms": ms(percentile(stats.first_runs, 50)),
        "first_run_p95_ms": ms(percentile(stats.first_runs, 95)),
        "live_fetches": len(stats.live_fetches),
        "live_fetch_p50_ms": ms(percentile(stats.live_fetches, 50)),
        "live_fetch_p95_ms": ms(percentile(stats.live_fetches, 95)),
        "rss_before_mb": None if rss_before is None else round(rss_before, 1),
        "rss_loaded_mb": None if rss_loaded is None else round(rss_loaded, 1),
        "rss_peak_mb": round(peak[0], 1) if pid is not None else None,
        "mb_per_session": None if per_session is None else round(per_session, 2),
        "max_slowdown": args.max_slowdown,
        **_hostile_report(args, idle, hstats, percentile(lat, 50)),
        **(_workshop_report(args, code, fstats) if args.workshop else {}),
    }


def _workshop_report(args: argparse.Namespace, code: str, fs: FacilitatorStats) -> dict:
    """The facilitator's refreshes and what the room holds after the run."""
    ms = lambda v: None if v is None else round(v * 1000, 1)  # noqa: E731
    saved, saves = workshop_saved(args.rooms_db, code)
    return {
        "workshop_participants": args.sessions,
        "workshop_participants_saved": saved,
        "workshop_saves": saves,
        "facilitator_refreshes": len(fs.refreshes),
        "facilitator_refresh_p50_ms": ms(percentile(fs.refreshes, 50)),
        "facilitator_refresh_p95_ms": ms(percentile(fs.refreshes, 95)),
        "facilitator_refresh_max_ms": ms(max(fs.refreshes) if fs.refreshes else None),
        "facilitator_page_runs": len(fs.page_runs),
        "facilitator_page_p50_ms": ms(percentile(fs.page_runs, 50)),
        "facilitator_page_p95_ms": ms(percentile(fs.page_runs, 95)),
        "facilitator_errors": sum(fs.errors.values()),
        "facilitator_errors_by_kind": fs.errors,
        "facilitator_error_samples": fs.samples,
    }


def _hostile_report(
    args: argparse.Namespace, idle: Stats | None, hs: HostileStats, loaded_p50: float | None
) -> dict:
    """The hostile sessions and the ordinary sessions' slowdown against the idle server."""
    if idle is None:
        return {}
    idle_p50 = percentile(idle.latencies, 50)
    ms = lambda v: None if v is None else round(v * 1000, 1)  # noqa: E731
    return {
        "hostile_sessions": args.hostile,
        "idle_reruns": len(idle.latencies),
        "idle_errors": sum(idle.errors.values()),
        "idle_rerun_p50_ms": ms(idle_p50),
        "slowdown_p50": None
        if not idle_p50 or loaded_p50 is None
        else round(loaded_p50 / idle_p50, 2),
        "hostile_uploads": hs.uploads,
        "hostile_files_page_runs": len(hs.file_page_runs),
        "hostile_files_page_p50_ms": ms(percentile(hs.file_page_runs, 50)),
        "hostile_sobol_clicks": hs.sobol_clicks,
        "hostile_sobol_runs": len(hs.sobol_runs),
        "hostile_sobol_p50_ms": ms(percentile(hs.sobol_runs, 50)),
        "hostile_errors": sum(hs.errors.values()),
        "hostile_errors_by_kind": hs.errors,
        "hostile_error_samples": hs.samples,
    }


async def _ordinary_sessions(
    ws_url: str, args: argparse.Namespace, duration: float, stats: Stats
) -> None:
    """``args.sessions`` ordinary sessions moving levers for ``duration`` seconds."""
    deadline = time.monotonic() + args.ramp + duration
    tasks = [
        asyncio.create_task(Session(i, ws_url, args, stats).run(deadline, asyncio.Event()))
        for i in range(args.sessions)
    ]
    _done, pending = await asyncio.wait(
        tasks, timeout=args.ramp + duration + args.rerun_timeout + args.connect_timeout + 15
    )
    for task in pending:
        task.cancel()
        stats.error("hard_deadline", "session still running at the hard deadline")
    await asyncio.gather(*pending, return_exceptions=True)


def format_report(r: dict) -> str:
    def f(v, unit=""):
        return "n/a" if v is None else f"{v}{unit}"

    lines = [
        f"load test: {r['sessions']} sessions x {r['duration_s']:g} s against {r['url']}"
        f" (think {r['think_s']:g} s, {r['sliders_per_session']} sliders per session)",
        f"  errors            {r['errors']}  {r['errors_by_kind'] or ''}",
        f"  reruns            {r['reruns']}  ({r['reruns_per_s']}/s)",
        f"  rerun time        p50 {f(r['rerun_p50_ms'], ' ms')}  p95 {f(r['rerun_p95_ms'], ' ms')}"
        f"  max {f(r['rerun_max_ms'], ' ms')}",
        f"  first run         p50 {f(r['first_run_p50_ms'], ' ms')}"
        f"  p95 {f(r['first_run_p95_ms'], ' ms')}",
        f"  live tables       {r['live_fetches']} fetched after their runs, p50"
        f" {f(r['live_fetch_p50_ms'], ' ms')}  p95 {f(r['live_fetch_p95_ms'], ' ms')}",
        f"  server RSS        {f(r['rss_before_mb'], ' MB')} idle -> {f(r['rss_loaded_mb'], ' MB')}"
        f" loaded (peak {f(r['rss_peak_mb'], ' MB')}), {f(r['mb_per_session'], ' MB')} per session",
    ]
    if "hostile_sessions" in r:
        lines += [
            f"  hostile           {r['hostile_sessions']} sessions: {r['hostile_uploads']} files "
            f"uploaded, {r['hostile_files_page_runs']} Files-page runs "
            f"(p50 {f(r['hostile_files_page_p50_ms'], ' ms')}), {r['hostile_sobol_clicks']} "
            f"largest Sobol runs asked, {r['hostile_sobol_runs']} finished "
            f"(p50 {f(r['hostile_sobol_p50_ms'], ' ms')}), "
            f"errors {r['hostile_errors']} {r['hostile_errors_by_kind'] or ''}",
            f"  ordinary p50      {f(r['idle_rerun_p50_ms'], ' ms')} idle -> "
            f"{f(r['rerun_p50_ms'], ' ms')} with hostile sessions: "
            f"{f(r['slowdown_p50'], 'x')} (goal <= {r['max_slowdown']}x)",
        ]
        lines += [f"  ! {s}" for s in r["hostile_error_samples"]]
    if "workshop_participants" in r:
        lines += [
            f"  workshop          {r['workshop_participants_saved']} of "
            f"{r['workshop_participants']} participants saved to the room "
            f"({r['workshop_saves']} saves)",
            f"  facilitator       {r['facilitator_refreshes']} view refreshes: "
            f"p50 {f(r['facilitator_refresh_p50_ms'], ' ms')}  "
            f"p95 {f(r['facilitator_refresh_p95_ms'], ' ms')}  "
            f"max {f(r['facilitator_refresh_max_ms'], ' ms')} (goal <= 1000 ms); "
            f"{r['facilitator_page_runs']} whole page runs: "
            f"p50 {f(r['facilitator_page_p50_ms'], ' ms')}  "
            f"p95 {f(r['facilitator_page_p95_ms'], ' ms')}, "
            f"errors {r['facilitator_errors']} {r['facilitator_errors_by_kind'] or ''}",
        ]
        lines += [f"  ! {s}" for s in r["facilitator_error_samples"]]
    lines += [f"  ! {s}" for s in r["error_samples"]]
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--start", metavar="APP", help="start `streamlit run APP` on 127.0.0.1")
    target.add_argument("--url", help="an already running server, e.g. http://127.0.0.1:8501")
    p.add_argument(
        "--pid",
        type=int,
        help="server pid for memory figures (with --url; "
        "found from the listening socket if omitted)",
    )
    p.add_argument("--sessions", type=int, default=30, help="concurrent sessions (1..200)")
    p.add_argument("--duration", type=float, default=60.0, help="seconds of load (<= 900)")
    p.add_argument(
        "--think",
        type=float,
        default=0.5,
        help="mean pause between a finished rerun and the next lever move (s)",
    )
    p.add_argument("--ramp", type=float, default=2.0, help="spread session starts over this (s)")
    p.add_argument("--rerun-timeout", type=float, default=30.0, help="per-rerun timeout (s)")
    p.add_argument("--connect-timeout", type=float, default=15.0, help="per-connect timeout (s)")
    p.add_argument("--query", default="", help="query string for every session (a share link)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--hostile",
        type=int,
        default=0,
        help="hostile sessions (0..20): each uploads --hostile-files files of the "
        "slowest shape for the parser and runs the largest Sobol again and again; "
        "the ordinary sessions are then measured idle first, then beside them",
    )
    p.add_argument("--hostile-files", type=int, default=10, help="files per hostile upload")
    p.add_argument(
        "--hostile-timeout",
        type=float,
        default=120.0,
        help="per-rerun timeout of a hostile session (a Sobol run may queue)",
    )
    p.add_argument(
        "--idle-duration",
        type=float,
        default=20.0,
        help="with --hostile: seconds of the idle reference phase",
    )
    p.add_argument(
        "--hostile-warmup",
        type=float,
        default=3.0,
        help="with --hostile: seconds the hostile sessions run before measuring",
    )
    p.add_argument(
        "--max-slowdown",
        type=float,
        default=2.0,
        help="with --hostile: fail if the ordinary p50 grows more than this",
    )
    p.add_argument(
        "--workshop",
        action="store_true",
        help="the sessions are participants of one workshop room, plus one facilitator",
    )
    p.add_argument(
        "--rooms-db",
        metavar="URL",
        help="with --workshop and --url: the server's room database (with --start: a "
        "fresh SQLite file)",
    )
    p.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    p.add_argument("--server-log", metavar="PATH", help="with --start: server output goes here")
    args = p.parse_args(argv)
    if not 1 <= args.sessions <= MAX_SESSIONS:
        p.error(f"--sessions must be 1..{MAX_SESSIONS}")
    if not 0 < args.duration <= MAX_DURATION_S:
        p.error(f"--duration must be in (0, {MAX_DURATION_S:g}]")
    for name in ("think", "ramp", "hostile_warmup"):
        if not 0 <= getattr(args, name) <= 60:
            p.error(f"--{name.replace('_', '-')} must be 0..60")
    if not 0 <= args.hostile <= 20 or not 1 <= args.hostile_files <= 100:
        p.error("--hostile must be 0..20 and --hostile-files 1..100")
    if not 0 < args.idle_duration <= MAX_DURATION_S:
        p.error(f"--idle-duration must be in (0, {MAX_DURATION_S:g}]")
    for name in ("rerun_timeout", "connect_timeout", "hostile_timeout"):
        if not 0 < getattr(args, name) <= 300:
            p.error(f"--{name.replace('_', '-')} must be in (0, 300]")
    args.query = args.query.lstrip("?")
    if args.workshop and args.hostile:
        p.error("--workshop and --hostile measure different things: one at a time")
    if args.workshop and args.url and not args.rooms_db:
        p.error("--workshop with --url needs --rooms-db (the server's room database)")
    if args.url:
        u = urlparse(args.url)
        if u.scheme != "http" or not u.hostname or not u.port:
            p.error("--url must look like http://127.0.0.1:PORT")
        if not is_loopback_host(u.hostname):
            p.error(
                f"refusing non-loopback host {u.hostname!r}: this tool only loads local servers"
            )
    elif not Path(args.start).is_file():
        p.error(f"--start: no such app file: {args.start}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with contextlib.ExitStack() as stack:
        env: dict[str, str] = {}
        if args.workshop and args.start:
            import tempfile

            tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="batken-load-"))
            env["BATKEN_ROOMS_DB"] = f"{tmp}/rooms.sqlite3"
            env["BATKEN_DATABASE_URL"] = ""
            args.rooms_db = f"sqlite:///{tmp}/rooms.sqlite3"
        if args.start:
            server = stack.enter_context(
                StartedServer(
                    Path(args.start),
                    log_path=Path(args.server_log) if args.server_log else None,
                    env=env,
                )
            )
            base_url, pid = server.url, server.pid
        else:
            base_url = args.url.rstrip("/")
            wait_healthy(base_url, 10)
            pid = args.pid or pid_listening_on(urlparse(base_url).port)
        result = asyncio.run(run_load(base_url, pid, args))
    print(format_report(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    ok = result["errors"] == 0 and result["reruns"] > 0
    if args.workshop:
        ok = (
            ok
            and result["facilitator_errors"] == 0
            and result["facilitator_refreshes"] > 0
            and result["workshop_participants_saved"] == args.sessions
        )
    if args.hostile:
        ok = (
            ok
            and result["idle_errors"] == 0
            and result["slowdown_p50"] is not None
            and result["slowdown_p50"] <= args.max_slowdown
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
