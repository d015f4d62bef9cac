"""golive: a compliance gate for services that send email through Amazon SES."""

from pathlib import Path

__version__ = "0.1.0"

# The check suite travels inside the package: node ids read `checks/test_x.py::…`, relative to
# this folder, in a checkout and in an installed golive alike.
HOME = Path(__file__).resolve().parent
CHECKS = HOME / "checks"
