"""Command line: `python -m golive verify ENV [pytest options]` and `python -m golive auditor-policy`.

`verify` is `pytest --env ENV` from the project root; its exit status is the verdict:
0 GO, 1 NO-GO, 4 bad config or usage.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

USAGE = "usage: golive verify ENV [pytest options] | golive auditor-policy"


def main(argv: list[str], plugins: list[object] | None = None) -> int:
    if not argv or argv[0] not in ("verify", "auditor-policy"):
        print(USAGE, file=sys.stderr)
        return 4
    if argv[0] == "auditor-policy":
        from golive.areas import auditor_policy

        print(json.dumps(auditor_policy(), indent=2))
        return 0
    import pytest  # here, not above: a Ctrl-C while pytest and its plugins load ends as one line too

    env = argv[1] if len(argv) > 1 else ""
    root = Path(__file__).resolve().parent.parent
    os.chdir(root)
    # plain asserts: a failing check shows its own message, not pytest's introspection of it
    args = ["-c", str(root / "pytest.ini"), f"--rootdir={root}", f"--env={env}", "--assert=plain", *argv[2:]]
    return int(pytest.main(args, plugins=plugins))


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        # before pytest runs its session (loading plugins) or while it unwinds one cut short
        sys.stderr.write("golive: INTERRUPTED: no check ran to a verdict, `latest` is unchanged\n")
        sys.exit(2)
