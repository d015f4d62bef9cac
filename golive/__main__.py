"""`python -m golive` and the `golive` console script: the command lives in golive/cli.py."""

from __future__ import annotations

import contextlib
import logging
import os
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
    # Every report is written and closed by now. What is left is freeing the heap (moto's state,
    # botocore's models) object by object, about 1.3 s of a demo run that no one waits for.
    logging.shutdown()
    with contextlib.suppress(BrokenPipeError):  # `golive checks | head` closed the pipe: nothing to say
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    entry()
