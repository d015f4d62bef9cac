"""`golive init ENV --sender … --region … --account-id …`: a starter environment file.

The file is written to a scratch folder and loaded with golive's own loader first, so what
lands in the config directory always validates (a bad region or address is the loader's one
line, exit 4, and nothing is written). It is commented: each section says what golive checks
with it and what to add next. Listing the account's identities and configuration sets with
credentials to fill it in is not done yet: the starter names what to fill by hand.
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
  # configuration_set: NAME         # the set the service sends with: its existence, events, reputation
  production_access: required       # allowed-sandbox while the account is still in the sandbox

# principals:                        # who must (not) be able to do what, asked of IAM
#   api:
#     arn: arn:aws:iam::{account_id}:role/NAME
#     must_allow: [ses:SendEmail, ses:SendRawEmail]
#     must_deny: [ses:CreateEmailIdentity, ses:DeleteEmailIdentity, iam:PassRole]
#     send_as_only: ses.from_address

waivers: []
"""


def render(args: argparse.Namespace) -> str:
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


def init(args: argparse.Namespace) -> int:
    from golive.cli import UsageProblem

    # a new environment goes to ./config (or the one given), never among golive's examples
    directory = (Path.cwd() / (args.config_dir or os.environ.get(places.CONFIG_DIR_VAR) or "config")).absolute()
    target = directory / f"{args.env}.yaml"
    if target.exists() and not args.force:
        raise UsageProblem(f"golive init: {target} exists; --force replaces it")
    with tempfile.TemporaryDirectory() as scratch:
        draft = Path(scratch) / target.name
        draft.write_text(render(args), encoding="utf-8")
        try:
            load_config(args.env, Path(scratch))
        except ConfigError as exc:
            raise UsageProblem(f"golive init: {str(exc).replace(str(draft), str(target))}") from None
        directory.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(draft, target)
    print(f"wrote {target}: check it, then run `golive verify {args.env}`")
    return 0
