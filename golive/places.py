"""Where a run reads its environments and writes its reports.

`--config-dir` / `--reports-dir`, else `GOLIVE_CONFIG_DIR` / `GOLIVE_REPORTS_DIR`, else `config/`
and `reports/` of the directory golive runs in. Where that directory has no `config/` at all,
the example environments shipped inside golive (the demo among them) stand in, and golive says
so: an installed golive can rehearse its demo anywhere. A `config/` that exists is never mixed
with the examples: an environment missing from it is an error.
"""

from __future__ import annotations

import os
from pathlib import Path

from golive import HOME

EXAMPLES = HOME / "examples"
CONFIG_DIR_VAR = "GOLIVE_CONFIG_DIR"
REPORTS_DIR_VAR = "GOLIVE_REPORTS_DIR"


def config_dir(given: str | None, cwd: Path) -> Path:
    chosen = given or os.environ.get(CONFIG_DIR_VAR)
    if chosen:
        return (cwd / chosen).absolute()
    local = cwd / "config"
    return local.absolute() if local.is_dir() else EXAMPLES


def reports_dir(given: str | None, cwd: Path) -> Path:
    return (cwd / (given or os.environ.get(REPORTS_DIR_VAR) or "reports")).absolute()


def uses_examples(directory: Path) -> bool:
    return directory == EXAMPLES  # in a checkout, examples/ is a link to its config/
