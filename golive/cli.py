"""The `golive` command: verify, checks, init, auditor-policy; --help and --version.

`golive verify ENV` is `pytest --env ENV` over the check suite inside the package, with golive's
own settings (gate.ini); its exit status is the verdict (README: "The verdict and the exit
status"). A usage error is one line and exit status 4, never a traceback, before anything runs.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from importlib import metadata
from pathlib import Path
from typing import Any, NoReturn

import golive
from golive import HOME, places
from golive.evidence.gates import SEVERITIES

USAGE_EXIT = 4
COMMANDS = {
    "verify": "run the gate for an environment: GO, NO-GO or PARTIAL, with its reports",
    "checks": "list every check with its gate, severity, rule and, for an environment, its test ids",
    "init": "write a starter config/<env>.yaml for a sender, a domain and regions",
    "auditor-policy": "print the read-only IAM policy the audit identity needs, or (--trust) its role's trust policy",
}
VERSIONS_OF = ("boto3", "botocore", "moto", "checkdmarc", "pytest")


class UsageProblem(Exception):
    """Bad usage: printed as one line, exit status 4."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageProblem(f"{self.prog}: {message} (see {self.prog} --help)")


def main(argv: list[str], plugins: list[object] | None = None) -> int:
    try:
        return _dispatch(list(argv), plugins)
    except UsageProblem as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return USAGE_EXIT
    except SystemExit as exc:  # argparse's --help
        return int(exc.code or 0)


def _dispatch(argv: list[str], plugins: list[object] | None) -> int:
    if not argv:
        raise UsageProblem(f"golive: a command is needed: {', '.join(COMMANDS)} (see golive --help)")
    command = argv[0]
    if command in ("-h", "--help"):
        print(_top_help())
        return 0
    if command == "--version":
        print(versions())
        return 0
    if command == "verify":
        return verify(argv[1:], plugins)
    if command == "checks":
        from golive.listing import list_checks

        return list_checks(_checks_parser().parse_args(argv[1:]))
    if command == "init":
        from golive.starter import init

        return init(_init_parser().parse_args(argv[1:]))
    if command == "auditor-policy":
        print(json.dumps(_policy_of(_policy_parser().parse_args(argv[1:])), indent=2))
        return 0
    raise UsageProblem(
        f"golive: unknown command {command!r}; expected one of {', '.join(COMMANDS)} (see golive --help)"
    )


def _top_help() -> str:
    commands = "\n".join(f"  {name:<16}{text}" for name, text in COMMANDS.items())
    return (
        "usage: golive COMMAND [options]\n\n"
        "golive: a compliance gate for services that send email through Amazon SES.\n\n"
        f"commands:\n{commands}\n\n"
        "options:\n  -h, --help      this help; `golive COMMAND --help` for a command's\n"
        "  --version       golive's version and those of the libraries it audits with\n\n"
        "exit status: 0 GO, 1 NO-GO, 2 INTERRUPTED, 4 bad config or usage, 6 PARTIAL (a selection)"
    )


def versions() -> str:
    lines = [f"golive {golive.__version__}"]
    for name in VERSIONS_OF:
        try:
            lines.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            hint = " (the embedded account: pip install 'golive[embedded]')" if name == "moto" else ""
            lines.append(f"{name} not installed{hint}")
    return "\n".join(lines)


def _parser(command: str, description: str = "", epilog: str = "") -> Parser:
    return Parser(
        prog=f"golive {command}",
        description=description or COMMANDS[command],
        epilog=epilog,
        allow_abbrev=False,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _add_places(parser: Parser, reports: bool = True) -> None:
    parser.add_argument(
        "--config-dir",
        metavar="DIR",
        help=f"where environments live (env {places.CONFIG_DIR_VAR}; default ./config, else golive's examples)",
    )
    if reports:
        parser.add_argument(
            "--reports-dir",
            metavar="DIR",
            help=f"where runs write reports (env {places.REPORTS_DIR_VAR}; default ./reports)",
        )


VERIFY_EPILOG = """\
Every other option goes to pytest: -q, -x, -k EXPR, -m MARKEXPR (each check carries its severity
and its gate as markers: -m critical, -m 'dkim or spf'), --deselect, a test path
(checks/test_dns.py). Any selection makes the run PARTIAL (exit 6): never GO, reports/ENV/latest
not moved. pytest's own options: `pytest --help` (golive's are in its "golive" group).

exit status: 0 GO, 1 NO-GO, 2 INTERRUPTED, 4 bad config or usage, 6 PARTIAL"""


def _verify_parser() -> Parser:
    parser = _parser("verify", epilog=VERIFY_EPILOG)
    parser.add_argument("env", metavar="ENV", help="the environment: ENV.yaml of the config directory")
    _add_places(parser)
    parser.add_argument(
        "--region",
        action="append",
        default=[],
        metavar="R",
        help="only region R's checks and the region-less ones (repeatable)",
    )
    parser.add_argument(
        "--severity", action="append", default=[], choices=SEVERITIES, help="only checks of this severity (repeatable)"
    )
    parser.add_argument(
        "--gate",
        action="append",
        default=[],
        metavar="GATE",
        help="only checks of this gate (repeatable; `golive checks` lists them)",
    )
    parser.add_argument(
        "--send-test",
        action="store_true",
        help="also send a test message to SES's mailbox simulator (the one write golive makes; ses.send_test)",
    )
    parser.add_argument(
        "--summary-format",
        choices=("markdown", "jira"),
        default="markdown",
        help="jira: also summary.jira.txt, the summary in Jira's wiki markup, beside summary.md",
    )
    parser.add_argument(
        "--output",
        choices=("text", "json"),
        default="text",
        help="json: evidence.json's content on stdout for a pipeline, everything else on stderr",
    )
    parser.add_argument(
        "--profile", metavar="NAME", help="live mode: use this AWS profile, not aws.profile (env GOLIVE_PROFILE)"
    )
    parser.add_argument(
        "--role-arn", metavar="ARN", help="live mode: assume this audit role, not aws.role_arn (env GOLIVE_ROLE_ARN)"
    )
    return parser


# The gate loads its own plugins and no other: a pytest plugin installed beside golive (reruns,
# random order, xdist) must not change a verdict, and not loading them all saves a part of a second.
OWN_PLUGINS = (
    "--disable-plugin-autoload",
    *("-p", "pytest_metadata.plugin", "-p", "pytest_html.plugin", "-p", "pytest_html.fixtures"),
    *("-p", "golive.plugin"),
)


def verify(argv: list[str], plugins: list[object] | None = None) -> int:
    # The start-up builds what lives to the end of the run (pytest and its plugins, golive's
    # catalogues, moto's backends, botocore's models): the cyclic collector walked it again each
    # time it grew by a quarter, about 1 s of a demo run. Run.open freezes it, then collects again.
    gc.disable()
    _without_dns_over_https()
    try:
        return _verify(argv, plugins)
    finally:
        gc.enable()


def _without_dns_over_https() -> None:
    # golive asks DNS over UDP and TCP only (its nameservers are addresses, never https:// URLs), but
    # dnspython imports its DoH stack (httpx2, httpcore2, h2, trio: about 0.1 s) wherever it finds it
    # installed. The command owns its process, so it says so before dnspython loads; `pytest --env`
    # in someone else's project leaves their dnspython as they have it.
    import dns._features

    dns._features.force("doh", False)


def _verify(argv: list[str], plugins: list[object] | None) -> int:
    parser = _verify_parser()
    if any(arg in ("-h", "--help") for arg in argv):
        parser.print_help()
        return 0
    if not argv or argv[0].startswith("-"):
        raise UsageProblem(
            "golive verify: the environment comes first: golive verify ENV [options] (see golive verify --help)"
        )
    known, passed_on = parser.parse_known_args(argv)
    from golive import selection  # with golive's config and pytest: not for `golive --help`

    workers = selection.workers_asked(passed_on)
    if workers:
        raise UsageProblem(selection.one_process(workers))
    cwd = Path.cwd()
    config_dir = places.config_dir(known.config_dir, cwd)
    if places.uses_examples(config_dir):
        print(
            f"golive: no ./config here: using the example environments shipped with golive ({config_dir})",
            file=sys.stderr,
        )
    args = [
        "-c", str(HOME / "gate.ini"), f"--rootdir={HOME}", *OWN_PLUGINS,
        f"--env={known.env}", f"--config-dir={config_dir}", f"--reports-dir={places.reports_dir(known.reports_dir, cwd)}",
        "--assert=plain",  # plain asserts: a failing check shows its own message, not pytest's introspection of it
        *_selection_args(known), *_from(cwd, passed_on),
    ]  # fmt: skip
    os.chdir(HOME)  # a test path (checks/test_dns.py) names a file of the suite, as node ids do
    if known.output == "json":
        return _verify_for_a_pipeline(args, plugins)
    import pytest

    return int(pytest.main(args, plugins=plugins))


REPORT_OPTIONS = ("--junitxml", "--junit-xml", "--html")


def _from(cwd: Path, passed_on: list[str]) -> list[str]:
    """pytest's options, with the paths of --junitxml and --html made absolute: golive runs from
    its own folder, and a user's `--junitxml=results.xml` means one in the folder they ran in."""
    found = []
    for i, arg in enumerate(passed_on):
        option, equals, value = arg.partition("=")
        if equals and option in REPORT_OPTIONS:
            arg = f"{option}={cwd / Path(value).expanduser()}"
        elif i and passed_on[i - 1] in REPORT_OPTIONS:
            arg = str(cwd / Path(arg).expanduser())
        found.append(arg)
    quiet = any(arg == "--quiet" or (arg.startswith("-q") and set(arg[1:]) == {"q"}) for arg in found)
    if quiet and not any(arg.startswith("--tb") for arg in found):
        # -q: one line per failure (pytest's short summary, the finding's first line) and the verdict
        found += ["--tb=no", "--force-short-summary"]
    return found


def _verify_for_a_pipeline(args: list[str], plugins: list[object] | None) -> int:
    """The run with pytest's terminal on stderr, then evidence.json on stdout (nothing when the run
    wrote none: bad input, or stopped before its first check)."""
    import contextlib

    import pytest

    from golive.stash import RUN

    class Published:
        evidence: Path | None = None

        def pytest_unconfigure(self, config: pytest.Config) -> None:
            run = config.stash.get(RUN, None)
            if run is not None and (run.report_dir / "evidence.json").is_file():
                self.evidence = run.report_dir / "evidence.json"

    published = Published()
    with contextlib.redirect_stdout(sys.stderr):
        code = int(pytest.main(args, plugins=[*(plugins or []), published]))
    if published.evidence is not None:
        sys.stdout.write(published.evidence.read_text())
    return code


def _selection_args(known: argparse.Namespace) -> list[str]:
    args = [f"--{name}={value}" for name in ("region", "severity", "gate") for value in getattr(known, name)]
    args += [f"--{flag}={value}" for flag, value in (("profile", known.profile), ("role-arn", known.role_arn)) if value]
    args += ["--send-test"] if known.send_test else []
    args += [f"--summary-format={known.summary_format}"]
    return args


POLICY_EPILOG = """\
--trust prints the audit role's trust policy instead (create the role with both, README "Run it in CI"):
  --trust github  --account-id ID --repo OWNER/REPO [--ref refs/heads/main]
  --trust gitlab  --account-id ID --project GROUP/PROJECT [--ref main] [--gitlab-url https://gitlab.com]
  --trust account --account-id ID [--external-id X]
The OIDC forms' --account-id is the audited account's (where the identity provider is); the account
form's is the account allowed to assume the role (with --external-id, as aws.external_id says)."""


def _policy_parser() -> Parser:
    from golive.trust import FORMS

    parser = _parser("auditor-policy", epilog=POLICY_EPILOG)
    parser.add_argument("--send-test", action="store_true", help="with the test send's one write (SES's simulator)")
    parser.add_argument("--trust", choices=FORMS, help="print the audit role's trust policy for this caller instead")
    parser.add_argument("--account-id", metavar="ID", help="with --trust: the account id (see below)")
    parser.add_argument("--repo", metavar="OWNER/REPO", help="--trust github: the repository of the workflow")
    parser.add_argument("--project", metavar="GROUP/PROJECT", help="--trust gitlab: the project of the pipeline")
    parser.add_argument(
        "--ref", metavar="REF", help="the OIDC forms: the ref allowed (refs/heads/main on GitHub, main on GitLab)"
    )
    parser.add_argument("--gitlab-url", metavar="URL", help="--trust gitlab: the instance (default https://gitlab.com)")
    parser.add_argument("--external-id", metavar="X", help="--trust account: the external id the caller must give")
    return parser


def _policy_of(args: argparse.Namespace) -> dict[str, Any]:
    trust_options = ("account_id", "repo", "project", "ref", "gitlab_url", "external_id")
    if args.trust is None:
        given = [f"--{name.replace('_', '-')}" for name in trust_options if getattr(args, name) is not None]
        if given:
            raise UsageProblem(f"golive auditor-policy: {', '.join(given)}: only with --trust github|gitlab|account")
        from golive.areas import auditor_policy

        return auditor_policy(send_test=args.send_test)
    from golive.trust import TrustProblem, trust_policy

    if args.send_test:
        raise UsageProblem("golive auditor-policy: --send-test is of the audit policy, not of --trust's trust policy")
    if args.account_id is None:
        raise UsageProblem(f"golive auditor-policy: --trust {args.trust} needs --account-id ID (see --help)")
    try:
        return trust_policy(args.trust, **{name: getattr(args, name) for name in trust_options})
    except TrustProblem as exc:
        raise UsageProblem(f"golive auditor-policy: {exc}") from None


def _checks_parser() -> Parser:
    parser = _parser("checks")
    parser.add_argument("--env", metavar="ENV", help="also list the test ids the checks produce for ENV (no AWS)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    _add_places(parser, reports=False)
    return parser


def _init_parser() -> Parser:
    parser = _parser(
        "init", epilog="The file is validated before it is written; an existing file is kept (--force replaces it)."
    )
    parser.add_argument("env", metavar="ENV", help="the environment's name: writes ENV.yaml")
    parser.add_argument("--sender", required=True, metavar="ADDRESS", help="the address the service sends as")
    parser.add_argument("--domain", metavar="DOMAIN", help="the sending domain (default: the sender's)")
    parser.add_argument("--region", action="append", metavar="R", help="an SES region the service uses (repeatable)")
    parser.add_argument("--account-id", metavar="ID", help="the AWS account the credentials must belong to")
    parser.add_argument(
        "--from-account",
        action="store_true",
        help="read the account first (read-only): its id, the regions with SES identities, the configuration set",
    )
    parser.add_argument("--profile", metavar="NAME", help="the AWS profile to read with")
    parser.add_argument("--role-arn", metavar="ARN", help="the read-only audit role to assume")
    parser.add_argument("--production", action="store_true", help="a production environment (stricter DMARC)")
    parser.add_argument("--force", action="store_true", help="replace an existing ENV.yaml")
    _add_places(parser, reports=False)
    return parser


def config_dir_of(args: Any) -> Path:
    return places.config_dir(args.config_dir, Path.cwd())
