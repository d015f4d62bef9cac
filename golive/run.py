"""One golive run: its config, its AWS access (live or embedded), its report folder and metadata."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import secrets
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import botocore.exceptions

import golive
from golive.areas import auditor_policy
from golive.aws import AwsAccess, CallerIdentity, CredentialsProblem, embedded_session, live_session
from golive.config import Config, ConfigError
from golive.embedded.scenario import load_scenario
from golive.evidence.waivers import Waiver, waivers_of

EMBEDDED_SIMULATOR = "embedded iam:SimulatePrincipalPolicy (golive-local-engine)"


@dataclass
class Run:
    config: Config
    report_dir: Path
    started: dt.datetime
    access: AwsAccess | None = None
    caller: CallerIdentity | None = None
    embedded: Any = None
    evidence: dict[str, Any] = field(default_factory=dict)
    waivers: tuple[Waiver, ...] = ()
    writing: Path | None = None  # the hidden folder reports are written into, until published
    copies: dict[str, Path] = field(default_factory=dict)  # report file -> where the user asked for a copy
    _threshold: tuple[int, ...] = ()  # the cyclic collector's, restored when the run closes

    @classmethod
    def plan(cls, config: Config, reports_root: Path) -> Run:
        started = dt.datetime.now(dt.UTC).replace(microsecond=0)
        report_dir = reports_root / config.env / started.strftime("%Y%m%dT%H%M%SZ")
        return cls(config=config, report_dir=report_dir, started=started, waivers=waivers_of(config.data))

    def claim_report_dir(self) -> None:
        """Create the hidden folder the run writes its reports into; `publish_report_dir` renames it
        into place at the end, so a run that dies half-way never leaves something that looks like a report."""
        self.report_dir.parent.mkdir(parents=True, exist_ok=True)
        # a name no other run can pick (pid and random), made by mkdir so the umask applies as to any folder
        self.writing = self.report_dir.with_name(
            f".{self.report_dir.name}-{os.getpid()}-{secrets.token_hex(4)}.writing"
        )
        self.writing.mkdir()

    def publish_report_dir(self) -> Path:
        """Rename the written reports to their timestamped folder. The name is claimed first with mkdir,
        which is atomic, so two runs finishing in the same second each get a folder of their own (the
        second with a suffix); renaming onto the claimed, empty folder then replaces it in one step."""
        stamp, suffix = self.report_dir.name, 1
        while True:
            try:
                self.report_dir.mkdir()
                break
            except FileExistsError:
                suffix += 1
                self.report_dir = self.report_dir.with_name(f"{stamp}-{suffix}")
        os.replace(self.writing, self.report_dir)
        self.writing = None
        return self.report_dir

    def discard_report_dir(self) -> None:
        if self.writing is not None:
            shutil.rmtree(self.writing, ignore_errors=True)
            self.writing = None

    def open(self) -> None:
        """Open AWS access and confirm the account before any check runs; raise ConfigError."""
        aws = self.config.aws
        try:
            if aws.mode == "moto":
                self.access = self._open_embedded()
            else:
                session, source = live_session(aws.profile, aws.role_arn, aws.external_id, aws.endpoint_url)
                self.access = AwsAccess(
                    session,
                    endpoint_url=aws.endpoint_url,
                    max_attempts=aws.attempts,
                    timeout=aws.timeout,
                    credential_source=source,
                    send_test=self.config.ses.send_test.enabled,
                    feedback_queue=self.config.ses.send_test.feedback_queue,
                    rate_limits=aws.rate_limits,
                )
            self.caller = self.access.caller_identity()
            # what is alive now (moto's backends, botocore's models, the catalogues) lives to the end:
            # kept out of the cyclic collector, which otherwise walks it again and again (and
            # golive verify held the collector off until now, see cli.verify)
            gc.freeze()
            # the audit allocates by the thousand per identity (answers, facts, evidence) and keeps most:
            # at 17 regions x 1,000 identities the default threshold ran 2,300 collections, 2.2 s;
            # 20,000 runs about 50, 0.5 s, for some 14 MB more
            self._threshold = gc.get_threshold()
            gc.set_threshold(20_000, *self._threshold[1:])
            gc.enable()
        except CredentialsProblem as exc:
            raise ConfigError(f"{self.config.path}: key 'aws': {exc}") from None
        if self.caller.account != self.config.account_id:
            raise ConfigError(
                f"{self.config.path}: key 'account_id': expected the credentials of account {self.config.account_id}, "
                f"but {self.access.credential_source} belong to account {self.caller.account} ({self.caller.arn}); "
                "golive stops rather than audit the wrong account"
            )

    def _open_embedded(self) -> AwsAccess:
        try:
            from golive.embedded.account import EmbeddedAccount
        except ModuleNotFoundError as exc:  # a live-only install: golive without its `embedded` extra
            raise ConfigError(
                f"{self.config.path}: key 'aws.mode': moto mode needs the embedded account, and {exc.name} is not "
                "installed: pip install 'golive[embedded]'"
            ) from None

        forget_user_aws_setup()
        scenario = load_scenario(self.config.scenario_path(), root=self.config.path.parent)
        if scenario.account_id != self.config.account_id:
            raise ConfigError(
                f"{self.config.path}: key 'account_id': expected the scenario's account {scenario.account_id} "
                f"({scenario.path}), found {self.config.account_id}"
            )
        send = self.config.ses.send_test
        account = EmbeddedAccount(scenario, auditor_policy(send_test=send.enabled, feedback_queue=send.feedback_queue))
        try:
            account.start()
        except (botocore.exceptions.ClientError, botocore.exceptions.ParamValidationError) as exc:
            # what the scenario asked for and moto refused: the scenario's mistake, not a check's
            _stop_quietly(account)
            raise ConfigError(
                f"{scenario.path}: the embedded account refused to be seeded from it: {' '.join(str(exc).split())}"
            ) from None
        except BaseException:
            _stop_quietly(account)  # a half-started account must not leave its servers running
            raise
        self.embedded = account
        creds = account.auditor
        return AwsAccess(
            embedded_session(creds.access_key_id, creds.secret_access_key),
            endpoint_url=account.endpoint_url,
            max_attempts=1,
            credential_source=f"the embedded auditor user of {scenario.path.name}",
            simulator_label=EMBEDDED_SIMULATOR,
            send_test=self.config.ses.send_test.enabled,
            feedback_queue=self.config.ses.send_test.feedback_queue,
            rate_limits=self.config.aws.rate_limits,  # none unless the config sets them
        )

    def stop_serving(self) -> None:
        """No AWS call follows: the embedded account's servers begin to stop while the reports are written."""
        if self.embedded is not None:
            self.embedded.stop_serving()

    def close(self) -> None:
        gc.unfreeze()
        if self._threshold:
            gc.set_threshold(*self._threshold)
        if self.embedded is not None:
            self.embedded.stop()
            self.embedded = None

    def metadata(self) -> dict[str, str]:
        aws = self.config.aws
        mode = f"embedded moto ({Path(aws.scenario or '').name})" if aws.mode == "moto" else "live AWS"
        return {
            "Environment": self.config.env,
            "Account": self.config.account_id,
            "Caller": self.caller.arn if self.caller else "unknown",
            "Credentials": self.access.credential_source if self.access else "none",
            "Regions": ", ".join(self.config.regions),
            "Mode": mode,
            "Config": f"{self.config.path.name} sha256:{self.config.sha256[:16]}",
            "golive": golive.__version__,
            "Git commit": git_commit(),
            "Started (UTC)": self.started.isoformat(),
        }


def _stop_quietly(account: Any) -> None:
    # the error that stopped the start is the one to report, not one from stopping what half started
    with contextlib.suppress(Exception):
        account.stop()


def forget_user_aws_setup() -> None:
    """Make this process blind to the user's AWS setup: the embedded account needs none of it.

    Its own sessions already ignore it (golive.aws.embedded_session), but moto's server builds plain
    boto3 sessions for its region lists, which a missing AWS_PROFILE or a broken AWS_CONFIG_FILE
    would break; moto's advice is to remove them from the environment before its backends load.
    """
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        os.environ.pop(name, None)
    os.environ["AWS_CONFIG_FILE"] = os.devnull
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull


def git_commit() -> str:
    root = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"], cwd=root, capture_output=True, text=True, timeout=5, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return os.environ.get("GOLIVE_GIT_COMMIT", "unknown")
    return f"{commit}{' (modified)' if dirty else ''}"
