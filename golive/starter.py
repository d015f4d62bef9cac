"""`golive init ENV --sender … --region … --account-id …`: a starter environment file.

The file is written to a scratch folder and loaded with golive's own loader first, so what
lands in the config directory always validates (a bad region or address is the loader's one
line, exit 4, and nothing is written). It is commented: each section says what golive checks
with it and what to add next. With `--from-account`, golive first reads the account (through
the read-only guard and the recorder, at a live audit's rate limits, the regions at once:
golive/ses/discovery.py): the account id, the regions in use, the configuration set, and what
else SES holds there, as comments to decide on.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
from pathlib import Path

from golive import places
from golive.config import ConfigError, load_config
from golive.ses.discovery import Found

TEMPLATE = """\
# {env}: golive's starter environment (`golive init`). Check it against the service, then run
#   golive verify {env}
# The schema is golive/schema/config.yaml; docs/config.md lists every key and its default.
environment: {env}
description: {description}
production: {production}            # true: DMARC at least quarantine, static access keys reported
account_id: "{account_id}"          # the run stops (exit 4) if the credentials belong elsewhere
regions: {regions}                  # every regional check runs once per region

aws:
  mode: live
{profile_line}
{role_line}

ses:
  from_address: {sender}
  domains:
    {domain}: {{}}                  # add {{mail_from: mail.{domain_name}}} for a custom MAIL FROM domain
{configuration_set_line}
  production_access: required       # allowed-sandbox while the account is still in the sandbox
{found_lines}
# principals:                        # who must (not) be able to do what, asked of IAM
#   api:
#     arn: arn:aws:iam::{account_id}:role/NAME
#     must_allow: [ses:SendEmail, ses:SendRawEmail]
#     must_deny: [ses:CreateEmailIdentity, ses:DeleteEmailIdentity, iam:PassRole]
#     send_as_only: ses.from_address

waivers: []
"""


def render(args: argparse.Namespace, found: Found | None = None) -> str:
    domain = args.domain or args.sender.rpartition("@")[2]
    if "@" not in args.sender or not domain:
        from golive.cli import UsageProblem

        raise UsageProblem(f"golive init: --sender {args.sender!r}: expected the address the service sends as")
    profile = (
        f"  profile: {args.profile}"
        if args.profile
        else "  # profile: NAME                # else the default credentials chain"
    )
    role = (
        f"  role_arn: {args.role_arn}"
        if args.role_arn
        else "  # role_arn: arn:aws:iam::ACCOUNT:role/golive-auditor   # the read-only audit role"
    )
    return TEMPLATE.format(
        configuration_set_line=_configuration_set_line(found),
        found_lines=_found_lines(found, domain),
        env=args.env,
        sender=json.dumps(args.sender),
        domain=json.dumps(domain),
        domain_name=domain,
        regions=json.dumps(args.region),
        description=json.dumps(f"{args.sender} in {', '.join(args.region)}"),
        production="true" if args.production else "false",
        account_id=args.account_id,
        profile_line=profile,
        role_line=role,
    )


def _configuration_set_line(found: Found | None) -> str:
    sets = found.sets() if found else []
    if len(sets) == 1:
        return f"  configuration_set: {json.dumps(sets[0])}   # the one the account holds (read by --from-account)"
    return "  # configuration_set: NAME         # the set the service sends with: its existence, events, reputation"


def _found_lines(found: Found | None, domain: str) -> str:
    if found is None:
        return ""
    lines = [f"# read from account {found.account_id} by `golive init --from-account`:"]
    for region, names in found.identities.items():
        if names or region in found.configuration_sets:
            sets = ", ".join(found.configuration_sets.get(region, ())) or "none"
            lines.append(f"#   {region}: identities {', '.join(sorted(names)) or 'none'}; configuration sets {sets}")
    if domain.lower() not in found.domains():
        lines.append(f"#   {domain} is not an SES identity in these regions yet: verify it before go-live")
    return "\n".join(lines) + "\n"


def from_account(args: argparse.Namespace) -> Found:
    """Read what the account holds, with the credentials the file will name (or the default chain)."""
    from golive.aws import AwsAccess, CredentialsProblem, live_session
    from golive.cli import UsageProblem
    from golive.errors import CouldNotSee
    from golive.sections import LIVE_RATE_LIMITS
    from golive.ses.discovery import discover

    try:
        session, source = live_session(args.profile, args.role_arn, None)
        # paced as a live audit is: the regions are read at once, each at SES's one request a second
        access = AwsAccess(session, credential_source=source, rate_limits=LIVE_RATE_LIMITS)
        found = discover(access, args.region or [])
    except (CredentialsProblem, CouldNotSee) as exc:
        raise UsageProblem(f"golive init --from-account: {exc}") from None
    if args.account_id and args.account_id != found.account_id:
        raise UsageProblem(
            f"golive init: --account-id {args.account_id}, but the credentials ({source}) belong to {found.account_id}"
        )
    if not (args.region or found.regions):
        raise UsageProblem(f"golive init: account {found.account_id} has no SES identity in any region: give --region")
    args.account_id, args.region = found.account_id, list(args.region or found.regions)
    return found


def init(args: argparse.Namespace) -> int:
    from golive.cli import UsageProblem

    if not args.from_account and not (args.region and args.account_id):
        raise UsageProblem("golive init: --region and --account-id are needed (or --from-account to read them)")
    found = from_account(args) if args.from_account else None

    # a new environment goes to ./config (or the one given), never among golive's examples
    directory = (Path.cwd() / (args.config_dir or os.environ.get(places.CONFIG_DIR_VAR) or "config")).absolute()
    target = directory / f"{args.env}.yaml"
    if target.exists() and not args.force:
        raise UsageProblem(f"golive init: {target} exists; --force replaces it")
    with tempfile.TemporaryDirectory() as scratch:
        draft = Path(scratch) / target.name
        draft.write_text(render(args, found), encoding="utf-8")
        try:
            load_config(args.env, Path(scratch))
        except ConfigError as exc:
            raise UsageProblem(f"golive init: {str(exc).replace(str(draft), str(target))}") from None
        directory.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(draft, target)
    print(f"wrote {target}: check it, then run `golive verify {args.env}`")
    return 0
