"""golive's IAM engine against @cloud-copilot/iam-simulate, case by case.

Every case goes through both engines, which must agree on the decision, on the statements
behind it and on the permissions boundary's verdict. The cases are the hand-written corpus
in tests/iam/corpus/ (each also carries the decision a person worked out) and a few
hundred generated from building blocks with a fixed seed. The oracle answers the whole
batch in one Node process, so the test takes seconds.

iam-simulate is AGPL-3.0: a test-only oracle, installed with `npm ci --prefix
tests/iam/oracle`, never imported by or shipped with golive. Without it these tests fail;
they never skip.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from golive.iam.engine import Decision, Evaluation, Policy, Request, evaluate

HERE = Path(__file__).parent
ORACLE = HERE / "oracle"
CORPUS = HERE / "corpus"
INSTALL = "npm ci --prefix tests/iam/oracle"
ACCOUNT = "123456789012"  # the oracle's principal and resources live in this account too


@dataclass(frozen=True)
class Case:
    id: str
    request: Request
    policies: tuple[Policy, ...]
    boundary: tuple[Policy, ...] = ()
    expect: Decision | None = None  # corpus cases: the decision a person worked out
    known_difference: str | None = None  # corpus cases where iam-simulate departs from AWS's documentation

    def oracle_input(self) -> dict[str, Any]:
        def named(policies: tuple[Policy, ...]) -> list[dict[str, Any]]:
            return [{"id": p.policy_id, "document": p.document} for p in policies]

        return {
            "id": self.id,
            "action": self.request.action,
            "resource": self.request.resource,
            "context": dict(self.request.context),
            "policies": named(self.policies),
            "boundary": named(self.boundary),
        }


# --- the corpus ------------------------------------------------------------------------------


def corpus_cases() -> list[Case]:
    cases = []
    for path in sorted(CORPUS.glob("*.json")):
        data = json.loads(path.read_text())
        for raw in data["cases"]:
            raw = {**data.get("defaults", {}), **raw}
            cases.append(
                Case(
                    id=f"{path.stem}/{raw['name']}",
                    request=Request(raw["action"], raw.get("resource", "*"), raw.get("context", {})),
                    # Prefixes keep a policy used both ways (identity and boundary) apart in matched statements.
                    policies=tuple(Policy(f"identity:{n}", "user", data["policies"][n]) for n in raw["policies"]),
                    boundary=tuple(
                        Policy(f"boundary:{n}", "user-managed", data["policies"][n]) for n in raw.get("boundary", [])
                    ),
                    expect=raw["expect"],
                    known_difference=raw.get("known_difference"),
                )
            )
    return cases


# --- generated cases -------------------------------------------------------------------------
# Building blocks are kept inside what AWS documents and iam-simulate reads the same way.
# The categories where the two part (docs/iam-engine.md, "Where iam-simulate differs") are
# left out on purpose: no epoch-second dates, no wildcard standing for a colon in an ARN's
# first five parts, no upper case in those parts, no list for a single-valued key, no /0
# CIDR, no empty strings, only "2012-10-17" documents, and "*" only as the resource of
# actions that take none. Two categories are in the blocks and excluded by rule, below.

SEED = 20250601
GENERATED = 400

REGIONS = ("us-east-1", "us-west-2", "ap-southeast-1")
IDENTITIES = ("example.com", "mail.example.com", "alice.example.com", "noreply@example.com", "Example.com")
IDENTITY_ACTIONS = ("ses:SendEmail", "ses:SendRawEmail", "ses:GetEmailIdentity", "ses:DeleteEmailIdentity")
NO_RESOURCE_ACTIONS = ("ses:GetSendQuota", "ses:GetAccount", "ses:ListEmailIdentities")
SEND_ACTIONS = ("ses:SendEmail", "ses:SendRawEmail")  # the only ones whose requests carry sender/recipient keys

ACTION_PATTERNS = (
    *IDENTITY_ACTIONS, *NO_RESOURCE_ACTIONS, "ses:sendrawemail", "SES:GetAccount", "ses:Send*", "ses:*Email",
    "ses:Send?awEmail", "ses:SendEmail*", "ses:Get*", "ses:List*", "ses:*Identity", "ses:Delete*", "ses:*", "*",
    "sns:Publish",
)  # fmt: skip
# Resource only, never NotResource: when a short ARN (fewer than six parts) fails to match,
# iam-simulate will not count the resource as outside the NotResource set, as AWS does.
SHORT_ARNS = ("arn:aws:ses:*", "arn:aws:ses:us-west-2:*")
RESOURCE_PATTERNS = (
    "*",
    f"arn:aws:ses:*:{ACCOUNT}:identity/*",
    f"arn:aws:ses:us-east-1:{ACCOUNT}:identity/example.com",
    "arn:aws:ses:us-west-2:*:identity/*",
    "arn:aws:ses:*:*:identity/*.example.com",
    f"arn:aws:ses:us-east-?:{ACCOUNT}:identity/*",
    f"arn:aws:ses:*:{ACCOUNT}:identity/Example.com",
    f"arn:aws:ses:*:{ACCOUNT}:identity/*@example.com",
    "arn:aws:ses:*:999999999999:identity/*",
    f"arn:aws:ses:ap-southeast-1:{ACCOUNT}:identity/????.example.com",
    f"arn:aws:ses:*:{ACCOUNT}:identity/?????.example.com",
    f"arn:aws:ses:*:{ACCOUNT}:identity/example.com*",
    f"arn:aws:ses:*:{ACCOUNT}:identity/${{aws:username}}.example.com",
    f"arn:aws:ses:*:{ACCOUNT}:identity/${{aws:username, 'mail'}}.example.com",
)
# Not in the NotResource of an action that takes no resource: golive leaves a statement whose
# variable cannot be resolved out (AWS: "the entire statement" may be "invalid"), while
# iam-simulate first finds that no ARN covers a "*" request and lets the statement apply.
EXCLUDED_FROM_NOT_RESOURCE_OF_RESOURCELESS_ACTIONS = (
    f"arn:aws:ses:*:{ACCOUNT}:identity/${{aws:username}}.example.com",
)

STRING = (
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
)
NUMERIC = (
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
)
DATE = ("DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals")
ARN = ("ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike")
# "StringEquals" last: a multivalued key without a set operator never matches.
MULTI = (
    "ForAnyValue:StringEquals", "ForAnyValue:StringLike", "ForAnyValue:StringNotEquals",
    "ForAllValues:StringEquals", "ForAllValues:StringLike", "ForAllValues:StringNotLike", "StringEquals",
)  # fmt: skip


@dataclass(frozen=True)
class Key:
    name: str
    operators: tuple[str, ...]
    policy_values: tuple[Any, ...]
    request_values: tuple[Any, ...]  # a str for a single-valued key, a list for a multivalued one
    send_only: bool = False  # only send requests carry it (iam-simulate drops it from others)


KEYS = (
    Key("ses:FromAddress", (*STRING, "ForAnyValue:StringLike"),
        ("noreply@example.com", "NoReply@example.com", "*@example.com", "noreply@*", "?oreply@example.com",
         "${aws:username}@example.com"),
        ("noreply@example.com", "NOREPLY@example.com", "alice@example.com", "x@other.org"), send_only=True),
    Key("aws:RequestedRegion", STRING, ("us-east-1", "us-*", "ap-southeast-?", "US-EAST-1"), REGIONS),
    Key("aws:PrincipalTag/team", STRING, ("mail", "ma?l", "web", "${aws:username}"), ("mail", "MAIL", "web", "alice")),
    Key("aws:MultiFactorAuthAge", NUMERIC,
        ("3600", "0", "-1", "1.5", 600, "later"), ("100", "3600", "7200", "0.5", "-1", "600", "never")),
    Key("aws:CurrentTime", DATE,
        ("2025-01-01T00:00:00Z", "2025-06-30", "2030-01-01T12:00:00Z", "whenever"),
        ("2024-06-01T00:00:00Z", "2025-06-30T00:00:00Z", "2031-01-01T00:00:00Z", "2025-01-01T00:00:00Z", "soon")),
    Key("aws:SecureTransport", ("Bool",), ("true", "false", "True", True), ("true", "false", "TRUE", "yes")),
    Key("aws:SourceIp", ("IpAddress", "NotIpAddress"),
        ("203.0.113.0/24", "10.0.0.0/8", "2001:db8::/32", "198.51.100.7/32"),
        ("203.0.113.9", "10.1.2.3", "2001:db8::1", "192.0.2.1", "not-an-ip")),
    Key("aws:PrincipalArn", ARN,
        (f"arn:aws:iam::{ACCOUNT}:user/*", "arn:aws:iam::*:role/app-?", f"arn:aws:iam::{ACCOUNT}:*", "arn:aws:iam:*",
         "arn:aws:*:role/app-?"),
        (f"arn:aws:iam::{ACCOUNT}:user/alice", f"arn:aws:iam::{ACCOUNT}:role/app-1",
         "arn:aws:iam::999999999999:role/app-12")),
    Key("ses:Recipients", MULTI, ("a@example.com", "*@example.com", "b@example.com", "x@other.org"),
        (["a@example.com"], ["a@example.com", "b@example.com"], ["a@example.com", "x@other.org"], []), send_only=True),
    Key("aws:TagKeys", MULTI, ("team", "env", "t*"), (["team"], ["team", "env"], ["owner"], [])),
)  # fmt: skip


def _one_or_list(rng: random.Random, pool: tuple[Any, ...], most: int) -> Any:
    picked = rng.sample(pool, rng.randint(1, most))
    return picked[0] if len(picked) == 1 and rng.random() < 0.5 else picked


def _condition(rng: random.Random) -> dict[str, dict[str, Any]]:
    condition: dict[str, dict[str, Any]] = {}
    for key in rng.sample(KEYS, rng.randint(1, 2)):
        if rng.random() < 0.1:
            operator, values = "Null", rng.choice(("true", "false", True))
        else:
            operator = rng.choice(key.operators)
            if ":" not in operator and rng.random() < 0.2:
                operator += "IfExists"
            values = _one_or_list(rng, key.policy_values, 2)
        condition.setdefault(operator, {})[key.name] = values
    return condition


def _resources(rng: random.Random, pool: tuple[str, ...]) -> Any:
    # "*" often, or requests for actions that take no resource would hardly ever match.
    return "*" if rng.random() < 0.25 else _one_or_list(rng, pool, 2)


def _statement(rng: random.Random, action: str) -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": "Allow" if rng.random() < 0.7 else "Deny"}
    statement["NotAction" if rng.random() < 0.15 else "Action"] = _one_or_list(rng, ACTION_PATTERNS, 3)
    if rng.random() < 0.15:
        pool = RESOURCE_PATTERNS
        if action in NO_RESOURCE_ACTIONS:
            pool = tuple(p for p in pool if p not in EXCLUDED_FROM_NOT_RESOURCE_OF_RESOURCELESS_ACTIONS)
        statement["NotResource"] = _resources(rng, pool)
    else:
        statement["Resource"] = _resources(rng, RESOURCE_PATTERNS + SHORT_ARNS)
    if rng.random() < 0.4:
        statement["Condition"] = _condition(rng)
    return statement


def _document(rng: random.Random, action: str, most: int) -> dict[str, Any]:
    statements = [_statement(rng, action) for _ in range(rng.randint(1, most))]
    one_as_dict = len(statements) == 1 and rng.random() < 0.5
    return {"Version": "2012-10-17", "Statement": statements[0] if one_as_dict else statements}


def _context(rng: random.Random, action: str, policies: tuple[Policy, ...]) -> dict[str, Any]:
    # Mostly the keys the policies test, so that conditions are decided by values, not by absence.
    tested = json.dumps([p.document for p in policies])
    context = {}
    for key in KEYS:
        if (action in SEND_ACTIONS or not key.send_only) and rng.random() < (0.8 if key.name in tested else 0.1):
            context[key.name] = rng.choice(key.request_values)
    if rng.random() < 0.5:
        context["aws:username"] = rng.choice(("alice", "mail", "bob"))
    return context


def generated_cases(seed: int = SEED, count: int = GENERATED) -> list[Case]:
    rng = random.Random(seed)
    cases = []
    for number in range(count):
        action = rng.choice(IDENTITY_ACTIONS + NO_RESOURCE_ACTIONS)
        resource = (
            "*"
            if action in NO_RESOURCE_ACTIONS
            else f"arn:aws:ses:{rng.choice(REGIONS)}:{ACCOUNT}:identity/{rng.choice(IDENTITIES)}"
        )
        policies = tuple(Policy(f"identity:p{i}", "user", _document(rng, action, 3)) for i in range(rng.randint(1, 2)))
        boundary = (Policy("boundary:b0", "user-managed", _document(rng, action, 2)),) if rng.random() < 0.3 else ()
        context = _context(rng, action, policies + boundary)
        cases.append(Case(f"generated-{number:03d}", Request(action, resource, context), policies, boundary))
    return cases


CORPUS_CASES = corpus_cases()
GENERATED_CASES = generated_cases()


# --- the oracle ------------------------------------------------------------------------------


def ask_oracle(cases: list[Case], oracle: Path = ORACLE) -> dict[str, dict[str, Any]]:
    """iam-simulate's answers to ``cases``, by case id, from one Node process."""
    __tracebackhide__ = True
    pinned = json.loads((oracle / "package.json").read_text())["dependencies"]["@cloud-copilot/iam-simulate"]
    installed = oracle / "node_modules" / "@cloud-copilot" / "iam-simulate" / "package.json"
    node = shutil.which("node")
    if node is None:
        pytest.fail(f"node is not on PATH; the IAM differential test needs Node.js, then `{INSTALL}`", pytrace=False)
    if not installed.is_file() or json.loads(installed.read_text())["version"] != pinned:
        pytest.fail(
            f"@cloud-copilot/iam-simulate {pinned} is not installed in {oracle}: run `{INSTALL}`", pytrace=False
        )
    batch = json.dumps([case.oracle_input() for case in cases])
    completed = subprocess.run(
        [node, str(oracle / "simulate.mjs")], input=batch, capture_output=True, text=True, timeout=120, check=False
    )
    if completed.returncode != 0:
        pytest.fail(f"the iam-simulate oracle exited {completed.returncode}:\n{completed.stderr}", pytrace=False)
    return {answer["id"]: answer for answer in json.loads(completed.stdout)}


@pytest.fixture(scope="session")
def oracle_answers() -> dict[str, dict[str, Any]]:
    return ask_oracle(CORPUS_CASES + GENERATED_CASES)


def verdict(evaluation: Evaluation) -> dict[str, Any]:
    """The engine's answer in the oracle's terms: statements as sorted [policy id, index] pairs."""
    return {
        "decision": evaluation.decision,
        "matched": sorted([m.policy_id, m.index] for m in evaluation.matched),
        "allowedByBoundary": evaluation.allowed_by_boundary,
    }


def oracle_verdict(answer: dict[str, Any]) -> dict[str, Any]:
    # The statements behind the decision, as golive reports them: the allowing ones for
    # allowed, the denying ones for explicitDeny, none for implicitDeny.
    matched = {"allowed": answer["allows"], "explicitDeny": answer["denies"], "implicitDeny": []}[answer["decision"]]
    return {
        "decision": answer["decision"],
        "matched": sorted(matched),
        "allowedByBoundary": answer["allowedByBoundary"],
    }


def describe(case: Case, **answers: Any) -> str:
    lines = [f"case {case.id}:", json.dumps(case.oracle_input(), indent=1)]
    lines += [f"{who}: {json.dumps(answer)}" for who, answer in answers.items()]
    return "\n".join(lines)


# --- the tests -------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CORPUS_CASES + GENERATED_CASES, ids=lambda case: case.id)
def test_engine_agrees_with_iam_simulate(case: Case, oracle_answers: dict[str, dict[str, Any]]) -> None:
    """golive's engine and iam-simulate decide the case alike (corpus: as a person worked it out too)."""
    answer = oracle_answers[case.id]
    assert "error" not in answer, (
        f"iam-simulate refused the case, so the case is wrong: {answer.get('error')}\n{describe(case)}"
    )
    assert not answer["ignoredContextKeys"], (
        f"the context holds keys {case.request.action} never carries\n{describe(case, oracle=answer)}"
    )
    ours, theirs = verdict(evaluate(case.request, case.policies, case.boundary)), oracle_verdict(answer)
    if case.expect is not None:
        assert ours["decision"] == case.expect, f"the corpus expects {case.expect}\n{describe(case, golive=ours)}"
    if case.known_difference:
        assert theirs["decision"] != ours["decision"], (
            "iam-simulate now agrees with AWS here: drop known_difference from the corpus and from "
            f"docs/iam-engine.md\n{describe(case)}"
        )
        return
    assert ours == theirs, describe(case, golive=ours, iam_simulate=theirs)


def test_generated_cases_reach_every_decision(oracle_answers: dict[str, dict[str, Any]]) -> None:
    """The generator is only worth its cases if they land on all three decisions, boundaries included."""
    decisions = Counter(oracle_answers[case.id].get("decision") for case in GENERATED_CASES)
    with_boundary = sum(
        1 for case in GENERATED_CASES if case.boundary and oracle_answers[case.id].get("allowedByBoundary") is not None
    )
    assert all(decisions[d] >= GENERATED // 8 for d in ("allowed", "explicitDeny", "implicitDeny")), decisions
    assert with_boundary >= GENERATED // 8, f"only {with_boundary} generated cases have a permissions boundary"


def test_generation_is_deterministic() -> None:
    assert [c.oracle_input() for c in generated_cases()] == [c.oracle_input() for c in GENERATED_CASES]


def test_missing_oracle_fails_and_says_how_to_install_it(tmp_path: Path) -> None:
    shutil.copy(ORACLE / "package.json", tmp_path / "package.json")
    with pytest.raises(pytest.fail.Exception, match=re.escape(INSTALL)):
        ask_oracle(CORPUS_CASES[:1], tmp_path)
