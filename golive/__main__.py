"""`python -m golive` and the `golive` console script: the command lives in golive/cli.py."""

from __future__ import annotations

import sys

__all__ = ["entry", "main"]


def main(argv: list[str], plugins: list[object] | None = None) -> int:
    from golive.cli import main as command

    return command(argv, plugins)


def entry() -> None:
    try:
        code = main(sys.argv[1:])  # golive.cli, pytest and its plugins load in here, not above:
    except KeyboardInterrupt:  # a Ctrl-C while they load, or while pytest unwinds, is one line too
        sys.stderr.write("golive: INTERRUPTED: no check ran to a verdict, `latest` is unchanged\n")
        code = 2
    sys.exit(code)


if __name__ == "__main__":
    entry()
