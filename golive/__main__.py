"""`python -m golive` and the `golive` console script: the command lives in golive/cli.py."""

from __future__ import annotations

import sys

from golive.cli import main

__all__ = ["entry", "main"]


def entry() -> None:
    sys.exit(main(sys.argv[1:]))


if __name__ == "__main__":
    entry()
