"""golive.iam.probing against a simulator that counts its calls: the local engine's sure denials,
classes of probes, the SCP layer and the confirmation sample, each in one case."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from golive.config import Principal
from golive.errors import CouldNotSee
from golive.iam import probing
from golive.iam.engine import Policy, Request, evaluate
from golive.iam.inventory import LOCAL_ENGINE, SCP, ResourceDecision, local_decision
from golive.iam.probing import ASKED, PRE_FILTER, SAMPLE, SAMPLED, Prober, Question

ARN = "arn:aws:iam::123456789012:role/api"
API = Principal("api", ARN, ("ses:SendEmail",), (), {}, False)
SEND = ("ses:SendEmail",)
SIMULATOR = "aws-iam-simulator"


def _policy(*statements: dict[str, Any]) -> list[Policy]:
    return [Policy("api-policy", "role", {"Version": "2012-10-17", "Statement": list(statements)})]


def _send_on(resource: str, **condition: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": "ses:SendEmail", "Resource": resource, **condition}


class Simulator:
    """Stands in for the PermissionInventory: the local engine's answer, then an SCP's, counting calls."""

    answers_locally = False

    def __init__(self, policies: list[Policy], scp_denies: Any = lambda resource: False) -> None:
        self.policies, self.scp_denies, self.calls = policies, scp_denies, []

    def decide_as(self, arn: str, actions: tuple[str, ...], resources: tuple[str, ...], context: dict[str, str]):
        self.calls.append(resources)
        decided = {}
        for action in actions:
            rows = [local_decision(r, evaluate(Request(action, r, context), self.policies)) for r in resources]
            decided[action] = tuple(
                ResourceDecision(d.resource, "implicitDeny", (), SCP) if self.scp_denies(d.resource) else d
                for d in rows
            )
        return decided, SIMULATOR


class Principals:
    def __init__(self, policies: list[Policy] | None) -> None:
        self._policies = policies

    def arn(self, principal: Principal) -> str:
        return principal.arn

    def policies(self, arn: str) -> tuple[list[Policy], list[Policy]]:
        if self._policies is None:
            raise CouldNotSee("the auditor is not allowed iam:GetAccountAuthorizationDetails", "x")
        return self._policies, []


def _identities(count: int, region: str = "eu-west-1") -> tuple[Question, ...]:
    """Sending as golive-probe@<n>.example on its own identity, each probe its own context."""
    return tuple(
        Question(
            f"golive-probe@d{n}.example in {region}",
            (f"arn:aws:ses:{region}:123456789012:identity/d{n}.example",),
            (("aws:RequestedRegion", region), ("ses:FromAddress", f"golive-probe@d{n}.example")),
        )
        for n in range(count)
    )


def _run(policies: list[Policy], questions: tuple[Question, ...], **simulator: Any) -> tuple[Any, Simulator]:
    fake = Simulator(policies, **simulator)
    return Prober(fake, Principals(policies)).answer(API, SEND, questions), fake  # type: ignore[arg-type]


def _routes(answers: Any) -> list[str]:
    return [a.answered_by for a in answers.answers]


def test_sure_denials_are_answered_locally_and_a_sample_of_them_by_the_simulator():
    own_only = _policy(_send_on("arn:aws:ses:eu-west-1:123456789012:identity/own.example"))
    answers, simulator = _run(own_only, _identities(50))
    assert len(simulator.calls) == SAMPLE
    assert _routes(answers).count(PRE_FILTER) == 50 - SAMPLE and _routes(answers).count(SAMPLED) == SAMPLE
    assert not any(d.allowed for a in answers.answers for d in a.decisions["ses:SendEmail"])
    assert {a.engine for a in answers.answers if a.answered_by == PRE_FILTER} == {LOCAL_ENGINE}


def test_probes_every_statement_meets_alike_share_one_simulation():
    leaky = _policy(_send_on("arn:aws:ses:eu-west-1:123456789012:identity/*"))
    questions = _identities(40)
    answers, simulator = _run(leaky, questions)
    assert len(simulator.calls) == 1
    assert all(d.allowed for a in answers.answers for d in a.decisions["ses:SendEmail"])
    assert answers.answers[0].answered_by == ASKED
    assert {a.answered_by for a in answers.answers[1:]} == {f"its class's representative, {questions[0].label}"}
    assert [a.decisions["ses:SendEmail"][0].resource for a in answers.answers] == [q.resources[0] for q in questions]


def test_representatives_that_share_a_context_share_one_call():
    two_grants = _policy(
        _send_on("arn:aws:ses:eu-west-1:123456789012:identity/d1.example"),
        _send_on("arn:aws:ses:eu-west-1:123456789012:identity/d2.example"),
    )
    context = (("aws:RequestedRegion", "eu-west-1"),)
    questions = tuple(dataclasses.replace(q, context=context) for q in _identities(3)[1:])
    answers, simulator = _run(two_grants, questions)
    assert simulator.calls == [tuple(q.resources[0] for q in questions)]
    assert _routes(answers) == [ASKED, ASKED]


def test_a_representative_an_scp_denies_does_not_stand_for_its_class():
    leaky = _policy(_send_on("arn:aws:ses:eu-west-1:123456789012:identity/*"))
    questions = _identities(12)
    denied = ("/d0.example", "/d1.example")  # the representative's among them
    # the SCP spares most identities: the members' answers differ from their representative's
    answers, simulator = _run(leaky, questions, scp_denies=lambda resource: resource.endswith(denied))
    assert len(simulator.calls) == len(questions), "the representative, then each member (each its own context)"
    allowed = [a.decisions["ses:SendEmail"][0].allowed for a in answers.answers]
    assert allowed == [not q.resources[0].endswith(denied) for q in questions]
    assert set(_routes(answers)) == {ASKED}


def test_a_statement_the_engine_cannot_decide_is_never_taken_for_a_denial():
    unknown_operator = _policy(
        _send_on("arn:aws:ses:eu-west-1:*", Condition={"StringEqualsSometimes": {"ses:FromAddress": "x@y.example"}})
    )
    questions = _identities(5)
    answers, simulator = _run(unknown_operator, questions)
    assert len(simulator.calls) == len(questions), "each probe is a class of its own"
    assert set(_routes(answers)) == {ASKED}


def test_without_the_authorization_details_every_probe_is_asked_of_the_simulator():
    questions = _identities(6)
    simulator = Simulator(_policy())
    answers = Prober(simulator, Principals(None)).answer(API, SEND, questions)  # type: ignore[arg-type]
    assert len(simulator.calls) == len(questions)
    assert set(_routes(answers)) == {ASKED} and {a.engine for a in answers.answers} == {SIMULATOR}


def test_when_the_sample_catches_the_engine_wrong_every_probe_of_the_principal_is_asked(monkeypatch):
    leaky = _policy(_send_on("arn:aws:ses:eu-west-1:123456789012:identity/*"))
    real = probing.evaluate
    monkeypatch.setattr(probing, "evaluate", lambda *a: dataclasses.replace(real(*a), decision="implicitDeny"))
    simulator = Simulator(leaky)
    prober = Prober(simulator, Principals(leaky))  # type: ignore[arg-type]
    questions = _identities(10)
    answers = prober.answer(API, SEND, questions)
    assert answers.disagreements == tuple(q.label for q in questions[:SAMPLE])
    assert set(_routes(answers)) == {ASKED}
    assert all(d.allowed for a in answers.answers for d in a.decisions["ses:SendEmail"]), "every leak is reported"
    later = prober.answer(API, SEND, _identities(4, region="us-east-1"))
    assert set(_routes(later)) == {ASKED}, "the engine is not trusted again for this principal"


@pytest.mark.parametrize("count", [1, 7])
def test_in_local_mode_every_probe_is_asked_of_the_inventory_which_answers_locally(count):
    simulator = Simulator(_policy())
    simulator.answers_locally = True
    answers = Prober(simulator, Principals(_policy())).answer(API, SEND, _identities(count))  # type: ignore[arg-type]
    assert set(_routes(answers)) == {ASKED} and len(simulator.calls) == count, "no pre-filter, no sample"
