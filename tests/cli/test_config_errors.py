"""Bad input stops the run before any check: one clear line naming the file, the key and what was
expected; exit status 4; no traceback; no report that could pass for a verdict.

The loaders are called in-process; `test_a_bad_config_exits_4_*` proves the command-line contract
once, end to end (tests/cli/test_credentials.py does the same for a credentials problem).
"""

from __future__ import annotations

import subprocess

import pytest
from expect import assert_usage_error, config_error, open_error
from timebox import within
from workspace import ROOT

from golive.config import load_config
from golive.yamlfile import MAX_DEPTH


def path_of(workspace, relative: str) -> str:
    return str((workspace.config_dir / relative).resolve())


DEMO_WITH_A_SECOND_MUST_DENY = """\
    must_deny:
      - iam:CreateAccessKey
"""


def _second_must_deny(workspace) -> tuple[int, int]:
    """demo.yaml with a second `must_deny:` under principals.api; the lines of both."""
    text = (workspace.config_dir / "demo.yaml").read_text()
    marker = "    send_as_only: ses.from_address\n"
    text = text.replace(marker, marker + DEMO_WITH_A_SECOND_MUST_DENY)
    workspace.write("demo.yaml", text)
    lines = text.splitlines()
    first, second = (i + 1 for i, line in enumerate(lines) if line.strip() == "must_deny:")
    return first, second


# --- the command line ------------------------------------------------------------------------


def test_a_bad_config_exits_4_with_one_line_and_no_report(workspace):
    first, second = _second_must_deny(workspace)
    result = workspace.verify("demo", in_subprocess=True)  # the command itself: its exit status, no report
    demo = path_of(workspace, "demo.yaml")
    assert_usage_error(result, f"{demo}:{second}:5: duplicate key 'must_deny', first at {demo}:{first}")
    [line] = [line for line in result.output.splitlines() if "duplicate key" in line]
    assert line.startswith("ERROR: ")
    assert not workspace.reports_dir.exists()


def test_make_verify_without_env_stops_with_the_usage_message():
    completed = subprocess.run(["make", "-s", "verify"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    output = completed.stdout + completed.stderr
    assert completed.returncode != 0
    assert "no environment given" in output and "Error 4" in output, output
    assert "Traceback" not in output


# --- which file ------------------------------------------------------------------------------


def test_no_environment(workspace):
    message = config_error(workspace, "")
    assert "no environment given" in message and "make verify ENV=<name>" in message and "demo" in message


def test_unknown_environment(workspace):
    message = config_error(workspace, "prdo")
    assert "prdo.yaml: no such environment file" in message and "prod" in message and "staging" in message


@pytest.mark.parametrize("env", ["../config/demo", "/etc/passwd", "demo/../prod", ".hidden"])
def test_an_environment_is_a_name_not_a_path(workspace, env):
    assert f"{env!r} is not an environment name" in config_error(workspace, env)


# --- YAML ------------------------------------------------------------------------------------


def test_yaml_syntax_error(workspace):
    workspace.write("broken.yaml", "account_id: '123456789012'\nregions: [us-east-1\naws: {mode: moto}\n")
    message = config_error(workspace, "broken")
    assert message.startswith(f"{path_of(workspace, 'broken.yaml')}:3:") and "YAML syntax error" in message


def test_a_duplicate_key_names_both_lines(workspace):
    first, second = _second_must_deny(workspace)
    demo = path_of(workspace, "demo.yaml")
    assert config_error(workspace) == (
        f"{demo}:{second}:5: duplicate key 'must_deny', first at {demo}:{first}; "
        "expected each key once (YAML would silently keep only the last)"
    )


def test_a_duplicate_key_in_a_base_names_the_base(workspace):
    workspace.write("base.yaml", "# shared\ndns:\n  timeout: 3\nses: {}\ndns:\n  timeout: 5\n")
    base = path_of(workspace, "base.yaml")
    assert config_error(workspace).startswith(f"{base}:5:1: duplicate key 'dns', first at {base}:2")


def test_a_key_yaml_reads_as_a_boolean_must_be_quoted(workspace):
    workspace.write("demo.yaml", (workspace.config_dir / "demo.yaml").read_text() + "on: true\n")
    assert "key 'on' reads as a boolean in YAML; expected text: put it in quotes" in config_error(workspace)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "the file is empty or holds only comments; expected a mapping with account_id, regions and aws"),
        (b"# nothing yet\n\n# still nothing\n", "the file is empty or holds only comments; expected a mapping"),
        (b"- a list\n", "expected a mapping with account_id, regions and aws at the top level, found a list"),
        (b"account_id: '123456789012'\n# caf\xe9\n", ":2:6: byte 0xe9 is not UTF-8; expected a UTF-8 file"),
        ("account_id: '1'\n".encode("utf-16"), "the file is UTF-16 encoded (byte-order mark); expected UTF-8"),
        ("account_id: '1'\n".encode("utf-16-le"), ":1:2: a NUL byte; expected UTF-8 text"),
        (b"account_id: '1'\n# \x07\n", ":2:3: the character U+0007 is not allowed in YAML"),
        (b"\xef\xbb\xbf" + b"account_id: 1\n", "key '(top level)': 'regions' is a required property"),
        (b"a: !!binary aGVsbG8=\n", ":1:4: the tag '!!binary' is not accepted"),
        (b"a: .inf\n", ":1:4: expected a finite number, found '.inf'"),
        (b"a: " + b"9" * 5000 + b"\n", ":1:4: a number of 5000 characters"),
        (b"a: &a [1, *a]\n", ":1:11: alias *a sits inside the value it names (a loop)"),
        (b"a: 1\n---\nb: 2\n", "YAML syntax error: but found another document"),
    ],
    ids=[
        "empty",
        "only-comments",
        "a-list",
        "latin-1",
        "utf-16",
        "utf-16-without-bom",
        "control-character",
        "utf-8-bom-is-read",
        "binary-tag",
        "infinity",
        "huge-number",
        "recursive-alias",
        "two-documents",
    ],
)
def test_what_is_not_a_yaml_config_is_named(workspace, content, expected):
    (workspace.config_dir / "odd.yaml").write_bytes(content)
    message = config_error(workspace, "odd")
    assert message.startswith(path_of(workspace, "odd.yaml")), message
    assert expected in message


def test_an_empty_base_says_what_a_base_holds(workspace):
    workspace.write("base.yaml", "# to be written\n")
    assert config_error(workspace) == (
        f"{path_of(workspace, 'base.yaml')}: the file is empty or holds only comments; expected a mapping of keys"
    )


# --- bombs -----------------------------------------------------------------------------------

BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("a: " + "[" * 5000 + "]" * 5000 + "\n", f"lists and mappings nested more than {MAX_DEPTH} deep"),
        ("a: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n", f"lists and mappings nested more than {MAX_DEPTH} deep"),
        ("x:\n" + "".join(f"{'  ' * i}- \n" for i in range(1, 200)), "nested more than"),
        (BILLION_LAUGHS, ":6:8: the document is too large: its aliases expand it to more than 100000 values"),
        ("a: [" + "1," * 150_000 + "1]\n", "the document is too large: it holds more than 100000 values"),
        ("a: " + "x" * (1 << 20) + "\n", "the file is larger than 1024 KiB"),
    ],
    ids=["nested-lists", "nested-mappings", "nested-block-lists", "alias-bomb", "many-values", "huge-file"],
)
def test_a_yaml_bomb_is_refused_quickly(workspace, content, expected):
    workspace.write("bomb.yaml", content)
    with within(5):
        message = config_error(workspace, "bomb")
    assert message.startswith(path_of(workspace, "bomb.yaml")) and expected in message, message


def test_a_bomb_in_a_scenario_is_refused_quickly(workspace):
    workspace.write("scenarios/demo.yaml", "version: 1\n" + BILLION_LAUGHS.replace("a:", "description:", 1))
    with within(10):
        message = open_error(workspace)
    assert message.startswith(path_of(workspace, "scenarios/demo.yaml"))
    assert "aliases expand it to more than 100000 values" in message


def test_aliases_within_the_bounds_are_read(workspace):
    text = (workspace.config_dir / "demo.yaml").read_text()
    text = text.replace("    must_deny:\n", "    must_deny: &deny\n")
    worker = "  worker:\n    arn: arn:aws:iam::123456789012:role/worker\n    must_deny: *deny\n"
    api_ends = "    send_as_only: ses.from_address\n"
    workspace.write("demo.yaml", text.replace(api_ends, api_ends + worker))
    principals = load_config("demo", workspace.config_dir).data["principals"]
    assert principals["worker"]["must_deny"] == principals["api"]["must_deny"]
    assert "ses:CreateEmailIdentity" in principals["worker"]["must_deny"]


# --- containment -----------------------------------------------------------------------------


@pytest.mark.parametrize("extends", ["../elsewhere.yaml", "/etc/elsewhere.yaml", "scenarios/../../elsewhere.yaml"])
def test_extends_stays_inside_the_config_directory(workspace, extends):
    elsewhere = workspace.config_dir.parent / "elsewhere.yaml"
    elsewhere.write_text("account_id: '999999999999'\n")
    workspace.edit("demo.yaml", lambda d: d.update(extends=extends))
    message = config_error(workspace)
    assert message.startswith(f"{path_of(workspace, 'demo.yaml')}: key 'extends': {extends!r} resolves to ")
    assert f"outside the config directory {workspace.config_dir.resolve()}" in message
    assert "bases (extends), scenarios and zone files are read only from inside the config directory" in message


def test_a_symlinked_base_is_judged_by_where_it_points(workspace):
    elsewhere = workspace.config_dir.parent / "elsewhere.yaml"
    elsewhere.write_text("account_id: '999999999999'\n")
    (workspace.config_dir / "shared.yaml").symlink_to(elsewhere)
    workspace.edit("demo.yaml", lambda d: d.update(extends="shared.yaml"))
    assert f"key 'extends': 'shared.yaml' resolves to {elsewhere.resolve()}, outside" in config_error(workspace)
    (workspace.config_dir / "inside.yaml").symlink_to(workspace.config_dir / "base.yaml")
    workspace.edit("demo.yaml", lambda d: d.update(extends="inside.yaml"))
    assert load_config("demo", workspace.config_dir).account_id == "123456789012"


def test_an_environment_file_symlinked_from_elsewhere_is_refused(workspace):
    elsewhere = workspace.config_dir.parent / "demo.yaml"
    elsewhere.write_text((workspace.config_dir / "demo.yaml").read_text())
    (workspace.config_dir / "demo.yaml").unlink()
    (workspace.config_dir / "demo.yaml").symlink_to(elsewhere)
    assert "the environment file resolves to" in config_error(workspace)


def test_the_scenario_stays_inside_the_config_directory(workspace):
    workspace.edit("demo.yaml", lambda d: d["aws"].update(scenario="../scenario.yaml"))
    (workspace.config_dir.parent / "scenario.yaml").write_text("version: 1\n")
    message = config_error(workspace)
    assert message.startswith(f"{path_of(workspace, 'demo.yaml')}: key 'aws.scenario': '../scenario.yaml' resolves")
    assert "outside the config directory" in message


def test_a_scenario_base_and_zone_files_stay_inside_the_config_directory(workspace):
    (workspace.config_dir.parent / "world.yaml").write_text("version: 1\naccount_id: '999999999999'\n")
    workspace.edit("scenarios/demo.yaml", lambda d: d.update(extends="../../world.yaml"))
    assert "scenarios/demo.yaml: key 'extends': '../../world.yaml' resolves to" in open_error(workspace)

    workspace.edit("scenarios/demo.yaml", lambda d: d.pop("extends"))
    evil = workspace.config_dir.parent / "evil.zone"
    evil.write_text("@ IN SOA ns. h. 1 2 3 4 5\n")
    workspace.edit("scenarios/demo.yaml", lambda d: d["dns"]["zones"].update({"bizassist.example": str(evil)}))
    message = open_error(workspace)
    assert "scenarios/demo.yaml: key 'dns.zones.bizassist.example':" in message and "outside the config" in message


# --- schema ----------------------------------------------------------------------------------


def test_unknown_key(workspace):
    workspace.edit("demo.yaml", lambda d: d["ses"].update(from_adress="no-reply@bizassist.example"))
    message = config_error(workspace)
    assert "demo.yaml: key 'ses.from_adress': unknown key" in message and "from_address" in message


def test_malformed_region(workspace):
    workspace.edit("demo.yaml", lambda d: d.update(regions=["ap-southeast1"]))
    message = config_error(workspace)
    assert "key 'regions.0': expected an AWS region name" in message and "'ap-southeast1'" in message


def test_region_without_ses(workspace):
    workspace.edit("demo.yaml", lambda d: d.update(regions=["ap-east-1"]))
    assert "key 'regions[0]': Amazon SES is not offered in region 'ap-east-1'" in config_error(workspace)


def test_malformed_principal_arn(workspace):
    workspace.edit(
        "demo.yaml", lambda d: d["principals"]["api"].update(arn="arn:aws:iam:123456789012:role/bizassist-api")
    )
    assert "key 'principals.api.arn': expected an IAM role or user ARN" in config_error(workspace)


def test_malformed_sender_address(workspace):
    workspace.edit("demo.yaml", lambda d: d["ses"].update(from_address="no-reply.bizassist.example"))
    assert "key 'ses.from_address': expected an email address" in config_error(workspace)


def test_account_id_must_be_quoted_digits(workspace):
    workspace.edit("demo.yaml", lambda d: d.update(account_id=123456789012))
    assert "key 'account_id': expected a 12-digit AWS account id in quotes" in config_error(workspace)


def test_a_long_value_is_cut_short_in_the_message(workspace):
    workspace.edit("demo.yaml", lambda d: d["principals"]["api"]["must_deny"].append("iam:" + "A" * 100_000))
    message = config_error(workspace)
    assert "key 'principals.api.must_deny.4': expected text of at most 128 characters, found 'iam:AAA" in message
    assert len(message) < 500


def test_a_wrongly_named_key_is_named(workspace):
    workspace.edit("demo.yaml", lambda d: d["principals"].update(API=d["principals"].pop("api")))
    assert "key 'principals.API': expected a value matching ^[a-z0-9][a-z0-9_-]*$ as the key" in config_error(workspace)


def test_an_invented_action_is_named_with_the_real_ones(workspace):
    workspace.edit(
        "seed-permissions.yaml",
        lambda d: d["principals"]["glassdome-app"]["must_allow"].append("ses:PutIdentityMailFromDomain"),
    )
    message = config_error(workspace, "seed-permissions")
    assert "key 'principals.glassdome-app.must_allow[9]': 'ses:PutIdentityMailFromDomain' is not an IAM action" in (
        message
    )
    assert "ses:SetIdentityMailFromDomain" in message and "ses:PutEmailIdentityMailFromAttributes" in message


def test_an_error_in_a_base_file_names_the_base_file(workspace):
    workspace.edit("base.yaml", lambda d: d.update(dns={"timeout": "three seconds"}))
    assert "base.yaml: key 'dns.timeout': expected a number" in config_error(workspace)


def test_a_missing_base_file(workspace):
    workspace.edit("demo.yaml", lambda d: d.update(extends="bsae.yaml"))
    assert "demo.yaml: key 'extends': no such file" in config_error(workspace)


def test_moto_mode_needs_a_scenario(workspace):
    workspace.edit("demo.yaml", lambda d: d["aws"].pop("scenario"))
    assert "key 'aws': 'scenario' is a required property" in config_error(workspace)


# --- the scenario and the account ------------------------------------------------------------


def test_a_missing_scenario(workspace):
    workspace.edit("demo.yaml", lambda d: d["aws"].update(scenario="scenarios/nope.yaml"))
    assert "nope.yaml: no such scenario file" in open_error(workspace)


def test_a_bad_scenario_names_its_file_and_key(workspace):
    workspace.edit(
        "scenarios/demo.yaml",
        lambda d: d["regions"]["ap-southeast-1"]["ses"]["identities"]["bizassist.example"].update(dkim="OK"),
    )
    assert (
        "demo.yaml: key 'regions.ap-southeast-1.ses.identities.bizassist.example.dkim': expected one of 'SUCCESS'"
        in open_error(workspace)
    )


def test_a_duplicate_key_in_a_scenario_names_both_lines(workspace):
    text = (workspace.config_dir / "scenarios/demo.yaml").read_text()
    workspace.write("scenarios/demo.yaml", text + "iam: {}\n")
    scenario = path_of(workspace, "scenarios/demo.yaml")
    first = text.splitlines().index("iam:") + 1
    assert open_error(workspace).startswith(
        f"{scenario}:{len(text.splitlines()) + 1}:1: duplicate key 'iam', first at {scenario}:{first}"
    )


def test_an_empty_scenario_says_what_a_scenario_holds(workspace):
    workspace.write("scenarios/demo.yaml", "")
    assert open_error(workspace) == (
        f"{path_of(workspace, 'scenarios/demo.yaml')}: the file is empty or holds only comments; "
        "expected a mapping with version: 1 (see docs/scenarios.md)"
    )


def test_a_zone_file_that_is_not_utf8_is_named(workspace):
    zone = workspace.config_dir / "scenarios" / "zones" / "bizassist.example.zone"
    zone.write_bytes(zone.read_bytes() + b"; r\xe9sum\xe9\n")
    assert f"{zone.resolve()}:" in open_error(workspace) and "is not UTF-8" in open_error(workspace)


def test_config_for_another_account_than_the_scenario(workspace):
    workspace.edit("demo.yaml", lambda d: d.update(account_id="111122223333"))
    assert "key 'account_id': expected the scenario's account 123456789012" in open_error(workspace)


def test_a_dotenv_file_golive_cannot_read_stops_the_run(workspace):
    """The service's environment is input like the config: a UTF-16 dotenv (as some editors save
    one) is one line naming the config's key and the file, and exit 4."""
    (workspace.config_dir / "demo.env").write_text("PORT=8080\n", encoding="utf-16")
    result = workspace.verify("demo")
    assert_usage_error(result, "demo.yaml: key 'env_matrix.source.dotenv': ", "/demo.env: byte 1 is not UTF-8")


def test_an_empty_dotenv_file_is_a_no_go_naming_each_required_variable(workspace):
    (workspace.config_dir / "demo.env").write_text("# nothing yet\n")
    result = workspace.verify("demo")
    assert result.exit_code == 1, result.output
    assert result.ids("failed") == {"AWS_REGION", "SES_FROM_EMAIL", "DATABASE_URL", "NODE_ENV", "PORT"}, result.output
