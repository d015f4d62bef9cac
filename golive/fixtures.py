"""The fixtures every area stands on (the validated config, AWS access, the evidence a test
records) and the one shape of a fact fixture.

A check asks for a fact by name. The fact is read during the test's setup from the area's
session-scoped inventory: if golive cannot see it, the test ends as an error (could not
see), never as a pass or a failure of the audited thing. Each area lists its facts as
`Fact` records; `fact_fixtures` turns them into fixtures, so none is written by hand.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from golive.aws import AwsAccess
from golive.config import Config
from golive.stash import EVIDENCE, RUN


@dataclass(frozen=True)
class Fact:
    """A fact fixture: its cases from the config, how it is read, and what the test records of it."""

    name: str
    cases: Callable[[Config], Iterable[Any]]
    needs: tuple[str, ...]  # the session fixtures `read` and `evidence` are given, in order
    read: Callable[..., Any]  # read(case, *needs) -> the fact
    evidence: Callable[..., dict[str, Any]]  # evidence(fact, *needs) -> {name: what the test records}
    # read before the first check, with its region's other reads (golive/prefetch.py); False for a
    # read that is not a read (the test send), which only its own check may make
    prefetch: bool = True


def recorded(name: str) -> Callable[..., dict[str, Any]]:
    """The usual evidence: the fact's own `evidence()`, under `name`."""
    return lambda fact, *_: {name: fact.evidence()}


def record(request: pytest.FixtureRequest, name: str, facts: Any) -> None:
    """Keep a fact as the test's evidence: shown in the HTML report, JUnit properties and evidence.json."""
    request.node.stash.setdefault(EVIDENCE, {})[name] = facts


def selected(session: pytest.Session, names: Container[str]) -> Iterator[tuple[str, Any]]:
    """Each (fact name, case) of the facts `names` that the session's checks ask for, once, in the
    order the checks run: what a selection (`--region`, `-k`, …) left in."""
    seen = set()
    for item in session.items:
        for name, case in getattr(getattr(item, "callspec", None), "params", {}).items():
            if name in names and (name, case.id) not in seen:
                seen.add((name, case.id))
                yield name, case


def fact_fixtures(facts: Iterable[Fact]) -> types.ModuleType:
    """One function-scoped fixture per fact, parametrized by the plugin with the fact's cases,
    in a module of their own (pytest finds a plugin's fixtures on a module or a class)."""
    module = types.ModuleType("golive.facts", "The fact fixtures of every area, made from their Fact records.")
    for fact in facts:
        setattr(module, fact.name, _fixture(fact))
    return module


def _fixture(fact: Fact) -> Any:
    def fixture(request: pytest.FixtureRequest) -> Any:
        needed = [request.getfixturevalue(name) for name in fact.needs]
        found = fact.read(request.param, *needed)
        for name, value in fact.evidence(found, *needed).items():
            record(request, name, value)
        return found

    fixture.__name__ = fact.name
    fixture.__doc__ = f"The fact {fact.name}, read from {', '.join(fact.needs)} during setup."
    return pytest.fixture(name=fact.name)(fixture)


@pytest.fixture(scope="session")
def golive_config(pytestconfig: pytest.Config) -> Config:
    return pytestconfig.stash[RUN].config


@pytest.fixture(scope="session")
def aws(pytestconfig: pytest.Config) -> AwsAccess:
    return pytestconfig.stash[RUN].access
