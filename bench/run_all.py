"""Every speed figure of the project, in one command.

    python bench/run_all.py            # full size (about 12 minutes)
    python bench/run_all.py --quick    # small sizes, for a smoke check

Runs, one after another (never in parallel, so they do not disturb each other):
the model benchmark, the analysis benchmark, the latency probe (real headless
Chromium: slider key press until the page settles) on the one-slider floor app and
on the dashboard, and the load test. Prints each tool's own output, then one summary
table with the date. Asserts nothing: figures, not pass/fail.

The latency probe is the project's own, ``bench/latency_probe.py``. ``--probe PATH``
runs another probe instead (one that takes ``APP_DIR --presses N --port P`` and prints
the same two lines), e.g. an outside one, to cross-check the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import socket
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PROBE = ROOT / "bench" / "latency_probe.py"


def run(cmd: list[str], timeout: float) -> str:
    """Run a command in the repo, echo and return its output."""
    print(f"\n$ {' '.join(cmd)}", flush=True)
    res = subprocess.run(
        cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )
    out = res.stdout + res.stderr
    print(out.rstrip(), flush=True)
    if res.returncode != 0:
        print(f"(exit status {res.returncode})")
    return out


def grab(pattern: str, text: str) -> str:
    m = re.search(pattern, text)
    return m.group(1) if m else "n/a"


def grabbed(text: str, specs: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Summary rows (what, figure, goal) from (what, pattern, goal): each figure is the
    first group of its pattern in a script's output."""
    return [(what, grab(pattern, text), goal) for what, pattern, goal in specs]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def probe(probe_path: Path, app_dir: Path, presses: int) -> tuple[str, str]:
    """(cold start s, median ms) of the latency probe on one app."""
    out = run(
        [
            sys.executable,
            str(probe_path),
            str(app_dir),
            "--presses",
            str(presses),
            "--port",
            str(free_port()),
        ],
        timeout=300,
    )
    return (grab(r"server start to idle page: ([\d.]+) s", out), grab(r"median (\d+)", out))


def _number(text: str) -> float | None:
    """A probe's figure as a number; None for a probe that printed none ("", "n/a")."""
    try:
        return float(text)
    except ValueError:
        return None


def probe_rows(
    floors: list[tuple[str, str]], apps: list[tuple[str, str]]
) -> list[tuple[str, str, str]]:
    """Summary rows of alternating probe rounds ((cold s, median ms) per run): medians
    of the rounds, each round's figure in brackets, and the median of the rounds'
    ratios (dashboard over floor, the same round)."""

    def numbers(runs: list[tuple[str, str]], i: int) -> list[float]:
        return [v for r in runs if (v := _number(r[i])) is not None]

    def figure(values: list[float], unit: str, digits: int) -> str:
        """``unit`` follows the number as given (" ms", "x")."""
        if not values:
            return "n/a"
        each = ", ".join(f"{v:.{digits}f}" for v in values)
        return f"{statistics.median(values):.{digits}f}{unit}" + (
            f" ({each})" if len(values) > 1 else ""
        )

    pairs = [(_number(f[1]), _number(a[1])) for f, a in zip(floors, apps, strict=True)]
    ratios = [a / f for f, a in pairs if f and a is not None]
    return [
        ("browser: floor app cold start to idle page", figure(numbers(floors, 0), " s", 2), ""),
        ("browser: floor app slider->settled (median)", figure(numbers(floors, 1), " ms", 0), ""),
        ("browser: dashboard slider->settled (median)", figure(numbers(apps, 1), " ms", 0), ""),
        ("browser: dashboard / floor", figure(ratios, "x", 2), "<= 2.5x"),
        ("browser: dashboard cold start to idle page", figure(numbers(apps, 0), " s", 2), "<= 4 s"),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes")
    ap.add_argument(
        "--probe",
        type=Path,
        default=DEFAULT_PROBE,
        help="browser latency probe to run (default: bench/latency_probe.py)",
    )
    ap.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="floor app / dashboard probe pairs, alternating (default 3; --quick: 1): "
        "the ratio is the median of the rounds' ratios, since one probe run on a shared "
        "machine moves by ±15-20 ms",
    )
    args = ap.parse_args()
    args.probe = args.probe.resolve()
    py = sys.executable
    rows: list[tuple[str, str, str]] = []

    out = run([py, "bench/benchmark_model.py"], timeout=300)
    rows += grabbed(
        out,
        [
            (
                "model: one scenario run",
                r"one scenario[^\n]*?, simulate\(\):\s+([\d.]+ ms)",
                "<= 1 ms",
            ),
            (
                "model: 1,000 scenarios, one call",
                r"1,000 scenarios in one vectorised simulate\(\):\s+([\d.]+ ms)",
                "<= 20 ms",
            ),
            (
                "model: one scenario placed by district",
                r"one placed scenario, simulate\(\):\s+([\d.]+ ms)",
                "<= 1 ms",
            ),
            (
                "model: the same, split by district and basin",
                r"the same with the split, simulate_places\(\):\s+([\d.]+ ms)",
                "",
            ),
        ],
    )
    out = run([py, "bench/benchmark_analysis.py"], timeout=600)
    rows += grabbed(
        out,
        [
            (
                "Monte Carlo: 1,000 draws, both scenarios",
                r"Monte Carlo, 1,000 draws[^\n]*?\s([\d.]+ ms)",
                "<= 0.5 s",
            ),
            ("optimiser: best mix for GRP", r"best_mix[^\n]*GRP 2035\s+([\d.]+ ms)", "<= 2 s"),
            (
                "optimiser: cheapest mix (+10 % per capita)",
                r"cheapest_mix, \+10 %[^\n]*?\s([\d.]+ ms)",
                "<= 2 s",
            ),
        ],
    )

    presses = "5" if args.quick else "20"
    if args.probe.is_file():
        # The floor app and the dashboard alternate, so that a slow spell of the machine
        # falls on both; each round's ratio is of the same moment.
        floors, apps = [], []
        for _ in range(1 if args.quick else max(1, args.rounds)):
            floors.append(probe(args.probe, ROOT / "bench" / "floor_app", int(presses)))
            apps.append(probe(args.probe, ROOT, int(presses)))
        rows += probe_rows(floors, apps)
    else:
        print(f"\n(latency probe not found at {args.probe}; pass --probe)")

    # Live dragging (issue 14): the GRP card during a mouse drag in headless Chromium.
    out = run([py, "bench/live_drag.py", "--moves", "60" if args.quick else "120"], timeout=300)
    rows += grabbed(
        out,
        [
            (
                "live drag: card updates per second while held",
                r"updates per second during the drag: ([\d.]+)",
                ">= 20",
            ),
            ("live drag: updates equal to the model", r"matching the model: (\d+ of \d+)", "all"),
        ],
    )
    rows += [
        (
            "live drag: frames sent while held / after release",
            grab(r"reruns sent during the drag: (\d+, after release: \d+)", out).replace(
                ", after release: ", " / "
            ),
            "0 / 1",
        ),
        (
            "live drag: its tables fetched after the run ended (page load / after release)",
            grab(
                r"live tables ready after the run ended: (\d+ ms \(page load\), \d+ ms)", out
            ).replace(" ms (page load),", " /"),
            "",
        ),
    ]

    def load_run(sessions: str, duration: str, *more: str) -> dict:
        """bench/load_test.py against a fresh server; its figures (empty if it failed)."""
        with tempfile.TemporaryDirectory() as tmp:
            js = Path(tmp) / "load.json"
            command = [py, "bench/load_test.py", "--start", "app.py", "--sessions", sessions]
            command += ["--duration", duration, *more, "--json", str(js)]
            run(command, timeout=int(duration) + 180)
            return json.loads(js.read_text()) if js.is_file() else {}

    sessions, duration = ("5", "10") if args.quick else ("30", "60")
    load = load_run(sessions, duration)

    def fig(*keys: str) -> str:
        for k in keys:
            if k in load:
                return str(load[k])
        return "n/a"

    rows += [
        (f"load: {sessions} sessions x {duration} s, errors", fig("errors"), "0"),
        (
            "load: p50 / p95 time to finished rerun (ms)",
            f"{fig('rerun_p50_ms')} / {fig('rerun_p95_ms')}",
            "",
        ),
        ("load: reruns per second", fig("reruns_per_s"), ""),
        ("load: server memory per session (MB)", fig("mb_per_session"), ""),
    ]

    # Workshop rooms (issue 12): 40 participants of one room moving levers, the
    # facilitator's view refreshing itself; each participant moves a lever every ~5 s (an
    # active room) and, as a stress test, every ~2 s (one server then has more reruns
    # asked of it than it can run, ~20 a second).
    w_sessions, w_duration = ("5", "10") if args.quick else ("40", "60")
    for think in ("5", "2"):
        load = load_run(w_sessions, w_duration, "--workshop", "--think", think)
        pace = f"a lever every ~{think} s"
        rows += [
            (
                f"workshop ({pace}): {w_sessions} participants x {w_duration} s, errors",
                fig("errors"),
                "0",
            ),
            (
                f"workshop ({pace}): participants saved to the room",
                f"{fig('workshop_participants_saved')} of {w_sessions}",
                "all",
            ),
            (
                f"workshop ({pace}): facilitator's view refresh p50 / p95 (ms)",
                f"{fig('facilitator_refresh_p50_ms')} / {fig('facilitator_refresh_p95_ms')}",
                "<= 1000 ms",
            ),
            (
                f"workshop ({pace}): facilitator's whole page run p50 / p95 (ms)",
                f"{fig('facilitator_page_p50_ms')} / {fig('facilitator_page_p95_ms')}",
                "",
            ),
            (
                f"workshop ({pace}): participant rerun p50 / p95 (ms); reruns a second",
                f"{fig('rerun_p50_ms')} / {fig('rerun_p95_ms')}; {fig('reruns_per_s')}",
                "",
            ),
        ]

    probe_name = args.probe.relative_to(ROOT) if args.probe.is_relative_to(ROOT) else args.probe
    print(
        f"\n=== Summary ({dt.date.today().isoformat()}, {'quick' if args.quick else 'full'}"
        f"; browser figures by {probe_name}) ==="
    )
    width = max(len(r[0]) for r in rows)
    for name, value, goal in rows:
        print(f"{name:<{width}}  {value:>14}  {goal}")


if __name__ == "__main__":
    main()
