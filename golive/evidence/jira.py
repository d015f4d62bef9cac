"""summary.md in Jira's wiki markup, for a release ticket in Jira (`--summary-format jira` writes
summary.jira.txt beside summary.md).

It is made from summary.md's own lines, which use a small part of Markdown on purpose: headings,
ticked and unticked items, one level of nesting and `code`. Each becomes its Jira form (`h2.`,
`* (/)`, `* (x)`, `**`, `{{…}}`), and what Jira would read as markup in golive's text (a test id's
brackets would be a link, `*` bold, `|` a table cell) is escaped with a backslash.
"""

from __future__ import annotations

import re
from typing import Any

FORMATS = ("markdown", "jira")
_CODE = re.compile(r"`([^`]*)`")
_SPECIAL = re.compile(r"([\[\]{}|*_^~+\\])")
_ITEM = re.compile(r"^(?P<indent> *)- (?P<tick>\[[x ]\] )?(?P<text>.*)$")


def add_option(group: Any) -> None:
    group.addoption(
        "--summary-format",
        choices=FORMATS,
        default="markdown",
        help="also write the summary in Jira's wiki markup (jira: summary.jira.txt beside summary.md)",
    )


def from_markdown(markdown: str) -> str:
    """Jira wiki markup for summary.md's text."""
    return "\n".join(_line(line) for line in markdown.splitlines()) + "\n"


def _line(line: str) -> str:
    heading = re.match(r"^(#{1,6}) (.*)$", line)
    if heading:
        return f"h{len(heading.group(1))}. {_inline(heading.group(2))}"
    item = _ITEM.match(line)
    if item is None:
        return _inline(line)
    bullets = "*" * (len(item["indent"]) // 2 + 1)
    tick = {"[x] ": "(/) ", "[ ] ": "(x) "}.get(item["tick"] or "", "")
    return f"{bullets} {tick}{_inline(item['text'])}"


def _inline(text: str) -> str:
    """Escape golive's text, and turn `code` into {{code}}, its content escaped too."""
    parts = _CODE.split(text)  # even: text, odd: code
    return "".join(_escape(p) if i % 2 == 0 else "{{" + _escape(p) + "}}" for i, p in enumerate(parts))


def _escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)
