"""The dotenv reader: python-dotenv's parser, held to golive's rules for bad input. Whatever the file
holds, reading it ends in its variables or in one ConfigError line naming the config's key and the
dotenv file — never another exception, never a hang (Hypothesis, each example time-boxed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_config_fuzz import EXAMPLE_SECONDS, FUZZ
from timebox import within

from golive.env.matrix import read_dotenv, read_matrix
from golive.errors import ConfigError
from golive.evidence.redact import redact

KEY = "key 'env_matrix.source.dotenv'"


def read(tmp_path: Path, content: bytes | str) -> dict[str, str]:
    path = tmp_path / "service.env"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return read_dotenv(path, tmp_path / "prod.yaml")


def refused(tmp_path: Path, content: bytes | str) -> str:
    with pytest.raises(ConfigError) as error:
        read(tmp_path, content)
    message = str(error.value)
    assert message.startswith(f"{tmp_path / 'prod.yaml'}: {KEY}: ") and "\n" not in message, message
    return message


def test_values_are_taken_literally_as_the_service_s_loader_takes_them(tmp_path):
    found = read(tmp_path, "# the API\nexport PORT=8080\nURL='postgres://u@h/${DB}'\nEMPTY=\n\nNAME=\"a b\" # note\n")
    assert found == {"PORT": "8080", "URL": "postgres://u@h/${DB}", "EMPTY": "", "NAME": "a b"}


@pytest.mark.parametrize("content", ["", "\n\n", "# only a comment\n# another\n", "\ufeff# with a BOM\n"])
def test_an_empty_or_comment_only_file_holds_no_variable(tmp_path, content):
    assert read(tmp_path, content) == {}


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("PORT=8080\n".encode("utf-16"), "is not UTF-8: expected a UTF-8 dotenv file (a UTF-16 file?"),
        (b"NAME=caf\xe9\n", "byte 9 is not UTF-8"),
        (b"PORT=80\x0080\n", "holds a NUL character"),
        ("PORT=8080\nthis is not a line\n", "line 2: expected NAME=value, a comment or a blank line"),
        ("PORT=8080\nNODE_ENV=production\nPORT=9090\n", "line 3: PORT is set again (first on line 1)"),
    ],
)
def test_what_is_not_a_dotenv_file_is_named_in_one_line(tmp_path, content, said):
    assert said in refused(tmp_path, content)


def test_a_missing_file_a_folder_and_a_huge_file_are_refused(tmp_path):
    config = tmp_path / "prod.yaml"
    with pytest.raises(ConfigError, match=r"cannot read the dotenv file .*: No such file or directory"):
        read_dotenv(tmp_path / "missing.env", config)
    with pytest.raises(ConfigError, match="is not a file: expected a dotenv file"):
        read_dotenv(tmp_path, config)
    assert "is over 1,000,000 bytes" in refused(tmp_path, b"# " + b"x" * 1_000_000)


def test_a_secret_variable_s_value_is_masked_everywhere_once_read(tmp_path):
    token = "s3cr3t-" + "k" * 17
    (tmp_path / "service.env").write_text(f"SIGNING_KEY={token}\nDATABASE_URL=postgres://api:pa@ss9@db/app\n")
    section = {
        "source": {"dotenv": "service.env"},
        "variables": {"SIGNING_KEY": {"secret": True}, "DATABASE_URL": {"secret": True}},
    }
    matrix = read_matrix(section, tmp_path / "prod.yaml")
    assert matrix.values["SIGNING_KEY"] == token
    assert redact(f"the key was {token}.") == "the key was ***."  # no pattern would have caught it
    assert "pa@ss9" not in redact("login with pa@ss9 failed")
    assert [matrix.shown(v) for v in matrix.variables] == ["***", "***"]


dotenv_soup = st.text(alphabet=[*"=#'\"\\$ {}\nexport\tAZ_09.é", "\r", "\x00", "\ufeff"], max_size=200)


@FUZZ
@given(content=dotenv_soup | st.binary(max_size=300))
def test_any_content_is_variables_or_one_clear_line(tmp_path_factory, content):
    folder = tmp_path_factory.mktemp("dotenv")
    try:
        with within(EXAMPLE_SECONDS):
            found = read(folder, content)
    except ConfigError:
        refused(folder, content)  # the same content, the message held to the rules
        return
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in found.items())
