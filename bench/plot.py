"""Draw bench/results.png from bench/results.json: AWS calls (golive's, the minimum, one per check)
and wall time against each axis of size, the other axes at the smallest world's.

Runs with matplotlib, which is the bench's alone (bench/requirements.txt, installed by `make bench`
into a virtualenv of its own): this script imports nothing of golive.

    .venv-bench/bin/python bench/plot.py [results.json] [results.png]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.ticker import NullLocator

HERE = Path(__file__).resolve().parent
AXES = {
    "regions": "regions",
    "identities": "identities per region",
    "principals": "principals",
    "actions": "actions per principal",
}


def along(runs: list[dict], axis: str) -> list[dict]:
    """The runs that differ from the smallest world in `axis` alone (and the smallest itself)."""
    base = min(runs, key=lambda r: sum(r["shape"].values()))["shape"]
    same = [r for r in runs if all(r["shape"][k] == v for k, v in base.items() if k != axis)]
    return sorted(same, key=lambda r: r["shape"][axis])


def draw(results: dict, target: Path) -> None:
    figure, panels = plt.subplots(2, 2, figsize=(11, 8), constrained_layout=True)
    for panel, (axis, label) in zip(panels.flat, AXES.items(), strict=True):
        runs = along(results["runs"], axis)
        sizes = [r["shape"][axis] for r in runs]
        panel.plot(sizes, [sum(r["calls"].values()) for r in runs], "o-", label="golive's AWS calls")
        panel.plot(sizes, [sum(r["minimum"].values()) for r in runs], "s--", label="minimum")
        panel.plot(sizes, [r["per_check"] for r in runs], "^:", label="one call per check")
        panel.set_xscale("log")
        panel.set_yscale("log")
        panel.set_xticks(sizes, [str(s) for s in sizes])
        panel.xaxis.set_minor_locator(NullLocator())  # the sizes alone, not 2x10^0 between them
        panel.set_xlabel(label)
        panel.set_ylabel("AWS calls")
        wall = panel.twinx()
        wall.plot(sizes, [r["wall_s"] for r in runs], "d-", color="tab:red", label="wall s")
        wall.set_ylabel("wall time (s)", color="tab:red")
        wall.set_ylim(bottom=0)
        lines = panel.get_legend_handles_labels()
        extra = wall.get_legend_handles_labels()
        panel.legend(lines[0] + extra[0], lines[1] + extra[1], fontsize="small", loc="best")
    m = results["machine"]
    figure.suptitle(f"golive verify, embedded: calls and time against size ({m['nproc']} cores, {m['date']})")
    figure.savefig(target, dpi=100)  # a file: no window is ever opened


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "results.json"
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else HERE / "results.png"
    draw(json.loads(source.read_text()), target)


if __name__ == "__main__":
    main()
