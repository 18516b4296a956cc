"""Command line: ``python -m model run|validate|calibrate``.

    python -m model run FILE [--out results.csv]   one row per year
    python -m model validate FILE                  check a scenario file
    python -m model calibrate [--check]            refit to 2007-2023 GRP (data/calibration.json)

Bad input exits with status 2 and one line on standard error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from model import run_scenarios
from model.calibration import calibrate, write_calibration
from model.parameters import CALIBRATION_JSON

RUN_COLUMNS = [
    "year", "grp", "grp_per_capita", "population", "irrigated_ha", "irrigated_effective_ha",
    "road_km_good", "sme_count", "jobs", "labour_income_per_capita", "programme_cost",
    "programme_cost_cumulative", "grp_baseline", "grp_vs_baseline", "grp_programme_gain",
    "va_agriculture", "va_mining", "va_sme", "va_private_other", "va_construction", "va_public",
]


def _load(path: str):
    from scenarios import ScenarioError, read_scenario

    try:
        return read_scenario(path)
    except (ScenarioError, FileNotFoundError) as exc:
        print(f"error: {path}: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def cmd_run(args: argparse.Namespace) -> int:
    scenario = _load(args.file)
    runs = run_scenarios([scenario.to_settings()])
    frame = runs.frame(0)[RUN_COLUMNS]
    if args.out:
        frame.to_csv(args.out, index=False, float_format="%.3f")
        print(f"wrote {len(frame)} years to {args.out}", file=sys.stderr)
    else:
        frame.to_csv(sys.stdout, index=False, float_format="%.3f")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    scenario = _load(args.file)
    print(f"ok: {args.file}: '{scenario.name}'")
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    result = calibrate()
    if args.check:
        stored = json.loads(CALIBRATION_JSON.read_text(encoding="utf-8"))
        same = all(
            abs(stored["parameters"][k] - v) <= 1e-6 * max(1.0, abs(v))
            for k, v in result["parameters"].items()
        )
        print("calibration reproduces data/calibration.json" if same
              else "calibration differs from data/calibration.json")
        return 0 if same else 1
    write_calibration(result)
    fit, back = result["fit"], result["backtest"]
    print(f"fit {fit['years'][0]}-{fit['years'][1]}: MAPE {fit['mape_pct']:.1f}%, "
          f"RMSE {fit['rmse_mln_som']:.0f} mln som")
    print(f"back-test (fit {back['fit_years'][0]}-{back['fit_years'][1]}, predict "
          f"{back['predict_years'][0]}-{back['predict_years'][1]}): MAPE {back['mape_pct']:.1f}%")
    for k, v in result["parameters"].items():
        print(f"  {k} = {v:.6g}")
    print(f"wrote {CALIBRATION_JSON}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m model", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run a scenario file, print or write yearly results")
    run.add_argument("file")
    run.add_argument("--out", type=Path, help="CSV file to write (default: standard output)")
    run.set_defaults(func=cmd_run)
    val = sub.add_parser("validate", help="check a scenario file")
    val.add_argument("file")
    val.set_defaults(func=cmd_validate)
    cal = sub.add_parser("calibrate", help="refit the calibrated parameters")
    cal.add_argument("--check", action="store_true",
                     help="only check that the stored calibration is reproduced")
    cal.set_defaults(func=cmd_calibrate)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
