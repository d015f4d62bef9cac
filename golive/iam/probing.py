"""Scope probes: the many requests a principal must be denied (sending as each other identity,
from each other region), answered exactly with few simulations. docs/simulations.md says why
the answers stay exact.

1. Pre-filter. The local engine weighs the principal's identity policies and boundary, read once
   per run (GetAccountAuthorizationDetails); AWS's simulator weighs the same plus SCPs, which can
   only deny more. A probe the local engine surely denies (`Evaluation.sure_denial`: no statement
   it could not decide) the simulator denies too, so it is answered here.
2. Classes. The other probes are grouped by how every statement meets them (`Evaluation.states`):
   the identity layers decide the members of a class alike, so one representative per class is
   simulated, representatives that share a request context in one call. A representative an SCP
   denies does not stand for its class (an SCP may treat its members differently): they are
   simulated too. A probe that meets a statement the engine cannot decide is a class of its own.
3. Sample. Up to SAMPLE of the pre-filter's denials, one class after another, are asked of the
   simulator too. If it allows one, the local engine is wrong about this principal: every probe
   of it is simulated from then on, and the evidence names the disagreement.

Where the authorization details cannot be read, every probe is simulated; with
`aws.simulator: local`, the local engine answers every probe (as it answers every question).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain, islice, zip_longest

from golive.config import Principal
from golive.errors import CouldNotSee
from golive.iam.engine import Evaluation, Policy, Request, evaluate
from golive.iam.inventory import (
    LOCAL_ENGINE,
    SCP,
    PermissionInventory,
    ResourceDecision,
    local_decision,
    on_resources,
)
from golive.iam.principals import Principals
from golive.memo import Memo

SAMPLE = 3  # pre-filter denials confirmed by the simulator, per principal and check
ASKED = "asked"  # the engine named beside it answered this probe itself
PRE_FILTER = "pre-filter (a denial the local engine is sure of)"
SAMPLED = "asked (confirmation sample of the pre-filter)"

Decisions = dict[str, tuple[ResourceDecision, ...]]  # action -> decision per resource


@dataclass(frozen=True)
class Question:
    """One probe: the request's resources and context; `label` names it in words."""

    label: str
    resources: tuple[str, ...]
    context: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Answer:
    decisions: Decisions
    engine: str
    answered_by: str  # ASKED, PRE_FILTER, SAMPLED, or the representative of its class


@dataclass(frozen=True)
class Answers:
    answers: tuple[Answer, ...]  # in the order of the questions
    disagreements: tuple[str, ...]  # pre-filter denials the simulator allows: the engine was wrong


class Prober:
    """Session-scoped: answers each check's probes of a principal, as the module's docstring says."""

    def __init__(self, permissions: PermissionInventory, principals: Principals) -> None:
        self._permissions = permissions
        self._principals = principals
        self._cached = Memo()
        self._untrusted: set[str] = set()  # principals of whom the sample caught the local engine wrong

    def principal_arn(self, principal: Principal) -> str:
        return self._principals.arn(principal)

    def answer(self, principal: Principal, actions: tuple[str, ...], questions: tuple[Question, ...]) -> Answers:
        arn = self._principals.arn(principal)
        return self._cached(("probes", arn, actions, questions), lambda: self._answer(arn, actions, questions))

    def _answer(self, arn: str, actions: tuple[str, ...], questions: tuple[Question, ...]) -> Answers:
        if self._permissions.answers_locally or arn in self._untrusted:
            return self._all_asked(arn, actions, questions, ())
        try:
            policies, boundary = self._principals.policies(arn)
        except CouldNotSee:
            return self._all_asked(arn, actions, questions, ())  # the simulator alone can answer
        local = {q: _evaluations(q, actions, policies, boundary) for q in questions}
        sure = {q for q in questions if all(e.sure_denial for rows in local[q].values() for e in rows)}
        denied = [q for q in questions if q in sure]
        classes = _classes((q for q in questions if q not in sure), local)
        sample = _sample(denied, local)
        asked = self._ask(arn, actions, [*sample, *(members[0] for members in classes)])
        disagreements = tuple(q.label for q in sample if _allowed(asked[q][0]))
        if disagreements:
            self._untrusted.add(arn)
            return self._all_asked(arn, actions, questions, disagreements)
        found = {q: Answer(_local_decisions(q, local[q]), LOCAL_ENGINE, PRE_FILTER) for q in denied}
        found |= {q: Answer(*asked[q], SAMPLED) for q in sample}
        for members in classes:
            found |= self._by_class(arn, actions, members, asked[members[0]])
        return Answers(tuple(found[q] for q in questions), ())

    def _by_class(
        self, arn: str, actions: tuple[str, ...], members: list[Question], asked: tuple[Decisions, str]
    ) -> dict[Question, Answer]:
        representative, others = members[0], members[1:]
        decisions, engine = asked
        found = {representative: Answer(decisions, engine, ASKED)}
        if any(d.layer == SCP and not d.allowed for rows in decisions.values() for d in rows):
            return found | {q: Answer(*a, ASKED) for q, a in self._ask(arn, actions, others).items()}
        by = f"its class's representative, {representative.label}"
        return found | {q: Answer(_transposed(decisions, q.resources), engine, by) for q in others}

    def _all_asked(
        self, arn: str, actions: tuple[str, ...], questions: tuple[Question, ...], disagreements: tuple[str, ...]
    ) -> Answers:
        asked = self._ask(arn, actions, questions)
        return Answers(tuple(Answer(*asked[q], ASKED) for q in questions), disagreements)

    def _ask(self, arn: str, actions: tuple[str, ...], questions: Iterable[Question]) -> dict[Question, tuple]:
        """One question of the permission inventory per request context, over the union of its resources."""
        by_context: dict[tuple, list[Question]] = {}
        for q in questions:
            by_context.setdefault(q.context, []).append(q)
        found = {}
        for context, group in by_context.items():
            union = tuple(dict.fromkeys(r for q in group for r in q.resources))
            decided, engine = self._permissions.decide_as(arn, actions, union, dict(context))
            found |= {q: ({a: on_resources(decided[a], q.resources) for a in actions}, engine) for q in group}
        return found


def _evaluations(
    q: Question, actions: tuple[str, ...], policies: list[Policy], boundary: list[Policy]
) -> dict[str, tuple[Evaluation, ...]]:
    context = dict(q.context)
    return {a: tuple(evaluate(Request(a, r, context), policies, boundary) for r in q.resources) for a in actions}


def _local_decisions(q: Question, evaluations: dict[str, tuple[Evaluation, ...]]) -> Decisions:
    return {a: tuple(map(local_decision, q.resources, rows)) for a, rows in evaluations.items()}


def _states(evaluations: dict[str, tuple[Evaluation, ...]]) -> tuple[tuple[str, ...], ...]:
    return tuple(e.states for rows in evaluations.values() for e in rows)


def _classes(questions: Iterable[Question], local: dict[Question, dict]) -> list[list[Question]]:
    """Probes every statement meets alike; one the engine cannot decide stands alone."""
    classes: dict[tuple, list[Question]] = {}
    for q in questions:
        states = _states(local[q])
        key = (q,) if any("unsure" in s for s in states) else states
        classes.setdefault(key, []).append(q)
    return list(classes.values())


def _sample(denied: list[Question], local: dict[Question, dict]) -> list[Question]:
    """SAMPLE denials, one class after another: first the classes more statements meet (where a
    denial rests on a condition rather than on a resource no statement names)."""
    classes = sorted(_classes(denied, local), key=lambda m: -sum(s != "off" for t in _states(local[m[0]]) for s in t))
    return list(islice((q for q in chain.from_iterable(zip_longest(*classes)) if q is not None), SAMPLE))


def _allowed(decisions: Decisions) -> bool:
    return any(d.allowed for rows in decisions.values() for d in rows)


def _transposed(decisions: Decisions, resources: tuple[str, ...]) -> Decisions:
    """A representative's decisions on a member's resources, position by position."""
    return {
        a: tuple(dataclasses.replace(d, resource=r) for d, r in zip(rows, resources, strict=True))
        for a, rows in decisions.items()
    }
