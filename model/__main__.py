"""Command line: ``python -m model run|appraise|validate|calibrate``.

    python -m model run FILE [--out results.csv] [--by-district]
                                                   one row per year (and district)
    python -m model appraise FILE [--rate R] [--json]
                                                   NPV, benefit-cost ratio, EIRR of the programme
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

APPRAISAL_TEXT = {
    "base_year": "base year (discounting)",
    "horizon": "last year counted",
    "rate": "discount rate",
    "pv_cost": "PV of cost, mln som",
    "pv_benefit": "PV of lasting net benefit, mln som",
    "pv_residual": "  of which residual value after 2065",
    "pv_construction_demand": "PV of construction demand (not a benefit)",
    "npv": "net present value, mln som",
    "bcr": "benefit-cost ratio",
    "eirr": "economic internal rate of return",
    "cost": "programme cost, undiscounted, mln som",
}

RUN_COLUMNS = [
    "year",
    "grp",
    "grp_per_capita",
    "population",
    "irrigated_ha",
    "irrigated_effective_ha",
    "road_km_good",
    "sme_count",
    "jobs",
    "labour_income_per_capita",
    "programme_cost",
    "programme_cost_cumulative",
    "grp_baseline",
    "grp_vs_baseline",
    "grp_programme_gain",
    "va_agriculture",
    "va_mining",
    "va_sme",
    "va_private_other",
    "va_construction",
    "va_public",
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
    if note := scenario.upgrade_note():
        print(f"note: {args.file}: {note}", file=sys.stderr)
    runs = run_scenarios([scenario.to_settings()], by_district=args.by_district)
    if args.by_district:
        frame = runs.district_frame(0)[["year", "district", *RUN_COLUMNS[1:]]]
        what = f"{frame['year'].nunique()} years x {frame['district'].nunique()} districts"
    else:
        frame = runs.frame(0)[RUN_COLUMNS]
        what = f"{len(frame)} years"
    if args.out:
        frame.to_csv(args.out, index=False, float_format="%.3f")
        print(f"wrote {what} to {args.out}", file=sys.stderr)
    else:
        frame.to_csv(sys.stdout, index=False, float_format="%.3f")
    return 0


def _rate(text: str) -> float:
    """A discount rate from ``0.09`` or ``9%``; 0 to 50% a year."""
    try:
        value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a rate: {text[:40]!r}") from None
    if not 0.0 <= value <= 0.5:
        raise argparse.ArgumentTypeError(f"rate {value:g} outside 0 to 0.5 (50%)")
    return value


def cmd_appraise(args: argparse.Namespace) -> int:
    scenario = _load(args.file)
    appraisal = run_scenarios([scenario.to_settings()], rates=(args.rate,)).appraisals[args.rate]
    summary = appraisal.summary(0)
    if args.json:
        print(json.dumps(summary))
        return 0
    print(
        f"{scenario.name}: programme against the same world without it "
        "(model.appraisal; million som at 2020 prices)"
    )
    for key, text in APPRAISAL_TEXT.items():
        v = summary[key]
        if v is None:
            shown = "n/a"
        elif key in ("rate", "eirr"):
            shown = f"{v * 100:.1f}%"
        elif key == "bcr":
            shown = f"{v:.2f}"
        elif key in ("base_year", "horizon"):
            shown = str(v)
        else:
            shown = f"{v:,.0f}"
        print(f"  {text:<44} {shown}")
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
        print(
            "calibration reproduces data/calibration.json"
            if same
            else "calibration differs from data/calibration.json"
        )
        return 0 if same else 1
    write_calibration(result)
    fit, back = result["fit"], result["backtest"]
    print(
        f"fit {fit['years'][0]}-{fit['years'][1]}: MAPE {fit['mape_pct']:.1f}%, "
        f"RMSE {fit['rmse_mln_som']:.0f} mln som"
    )
    print(
        f"back-test (fit {back['fit_years'][0]}-{back['fit_years'][1]}, predict "
        f"{back['predict_years'][0]}-{back['predict_years'][1]}): MAPE {back['mape_pct']:.1f}%"
    )
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
    run.add_argument(
        "--by-district",
        action="store_true",
        help="one row per year and district or city (column 'district'); additive columns "
        "add up to the oblast's rows",
    )
    run.set_defaults(func=cmd_run)
    app = sub.add_parser("appraise", help="appraise the programme in a scenario file")
    app.add_argument("file")
    app.add_argument(
        "--rate", type=_rate, default=0.06, help="real discount rate, as 0.06 or 6%% (default 0.06)"
    )
    app.add_argument("--json", action="store_true", help="print one JSON object")
    app.set_defaults(func=cmd_appraise)
    val = sub.add_parser("validate", help="check a scenario file")
    val.add_argument("file")
    val.set_defaults(func=cmd_validate)
    cal = sub.add_parser("calibrate", help="refit the calibrated parameters")
    cal.add_argument(
        "--check", action="store_true", help="only check that the stored calibration is reproduced"
    )
    cal.set_defaults(func=cmd_calibrate)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
