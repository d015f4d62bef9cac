"""`--summary-format jira`: summary.md's content in Jira's wiki markup, in summary.jira.txt beside it."""

from __future__ import annotations

from golive.evidence.jira import from_markdown


def test_summary_lines_become_jira_markup():
    markdown = "\n".join(
        [
            "# golive demo: NO-GO",
            "## SES go-live gate list",
            "- [x] SPF includes SES sender path — 1 check passed",
            "- [ ] iam-permissions — 1 of 2 checks did not pass:",
            "  - failed: `test_principal_is_denied[api-*-ses:CreateEmailIdentity]`",
            "- OPS-7 until 2027-01-01: a | pipe, *stars* and {braces}",
        ]
    )
    assert from_markdown(markdown).splitlines() == [
        "h1. golive demo: NO-GO",
        "h2. SES go-live gate list",
        "* (/) SPF includes SES sender path — 1 check passed",
        "* (x) iam-permissions — 1 of 2 checks did not pass:",
        r"** failed: {{test\_principal\_is\_denied\[api-\*-ses:CreateEmailIdentity\]}}",
        r"* OPS-7 until 2027-01-01: a \| pipe, \*stars\* and \{braces\}",
    ]


def test_a_run_asked_for_jira_writes_both_summaries(workspace):
    result = workspace.verify("seed-permissions", "--summary-format", "jira")
    assert result.exit_code == 1, result.output
    markdown = (result.report_dir / "summary.md").read_text()
    jira = (result.report_dir / "summary.jira.txt").read_text()
    assert jira.startswith("h1. golive seed-permissions: NO-GO\n")
    assert len(jira.splitlines()) == len(markdown.splitlines()), "line for line"
    assert "h2. Failures" in jira and "* (x) iam-permissions — 18 of " in jira
    assert not [line for line in jira.splitlines() if line.startswith(("#", "- ", "  - "))], "no Markdown left"
    assert "`" not in jira


def test_without_the_option_only_summary_md_is_written(workspace):
    result = workspace.verify("seed-permissions")
    assert not (result.report_dir / "summary.jira.txt").exists()
