"""The `ivr` command: what staff type and read, run through click's test runner."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivr.cli import main

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = str(ROOT / "menus.yaml")


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input)


@pytest.fixture
def menu_file(tmp_path, small_menu_text):
    def write(text: str = small_menu_text) -> str:
        path = tmp_path / "menus.yaml"
        path.write_text(text, encoding="utf-8")
        return str(path)
    return write


def test_shipped_menu_passes_strict_check():
    result = run("check", "--strict", SHIPPED)
    assert result.exit_code == 0, result.output
    assert result.output == f"{SHIPPED}: OK (2 menus, 10 topics, 2 transfer lines)\n"


def test_warnings_name_the_line_and_exit_zero_unless_strict(menu_file, small_menu_text):
    arrow = small_menu_text.replace("Surgery comes first.", "Surgery comes first → then rest.")
    path = menu_file(arrow)
    result = run("check", path)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{path}:27: warning: the text of topic 'treatment' has '→'")
    assert lines[-1] == f"{path}: OK with 1 warning (2 menus, 2 topics, 1 transfer line)"

    strict = run("check", "--strict", path)
    assert strict.exit_code == 1
    assert strict.output.splitlines()[-1] == f"Error: {path}: 1 warning (--strict)"


def test_old_review_date_is_judged_against_today(menu_file, small_menu_text):
    path = menu_file(small_menu_text.replace(
        "    answer: Surgery comes first.\n",
        "    answer: Surgery comes first.\n    reviewed: 2026-01-31\n"))
    assert run("check", "--strict", "--today", "2026-12-31", path).exit_code == 0
    late = run("check", "--strict", "--today", "2027-02-01", path)
    assert late.exit_code == 1
    assert f"{path}:28: warning: topic 'treatment' was last reviewed on 2026-01-31" in late.output


def test_problems_are_errors_not_tracebacks(menu_file, small_menu_text):
    path = menu_file(small_menu_text.replace("1: symptoms", "1: symtoms"))
    result = run("check", path)
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"{path}:14: option 1 of menu 'main' goes to 'symtoms'" in result.output
    assert result.output.splitlines()[-1] == f"Error: {path}: 1 problem; nothing was changed"


def test_missing_file_is_an_error_not_a_traceback(tmp_path):
    result = run("check", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "cannot read the file" in result.output


def test_python_dash_m_ivr_shows_help():
    done = subprocess.run([sys.executable, "-m", "ivr", "--help"], capture_output=True,
                          text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Usage: ivr [OPTIONS] COMMAND [ARGS]...")


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    staff = readme.split("## Staff tools", 1)[1].split("\n## ", 1)[0]
    for name in main.commands:
        assert re.search(rf"^\$ .*\bivr {name}\b", staff, re.M), (
            f"`ivr {name}` is not shown in README.md's Staff tools section")


def test_schema_prints_the_committed_file():
    result = run("schema")
    assert result.exit_code == 0
    assert result.output == (ROOT / "menus.schema.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("format", ["tree", "mermaid", "dot"])
def test_draw_each_format(format):
    result = run("draw", "--format", format, SHIPPED)
    assert result.exit_code == 0, result.output
    assert "referral" in result.output


def test_draw_a_broken_file_is_an_error(menu_file, small_menu_text):
    result = run("draw", menu_file(small_menu_text.replace("1: symptoms", "1: symtoms")))
    assert result.exit_code == 1
    assert result.output.splitlines()[-1].startswith("Error: ")


def test_draw_an_unknown_format_is_a_usage_error():
    result = run("draw", "--format", "svg", SHIPPED)
    assert result.exit_code == 2
    assert "'svg' is not one of 'tree', 'mermaid', 'dot'" in result.output


def test_simulate_a_call_prints_what_the_caller_hears():
    result = run("simulate", SHIPPED, input="2\n0\nbusy\n")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("If this is a medical emergency, hang up and dial 911.")
    said = " ".join(result.output.split())
    assert "> 2 Signs differ from child to child." in said
    assert "> 0" in lines and "[connecting to +1 617-355-6000]" in lines
    assert "6 1 7, 3 5 5, 6 0 0 0" in said.split("> busy", 1)[1]
    assert lines[-1] == "[the caller hangs up]"


def test_simulate_speech_and_silence():
    result = run("simulate", SHIPPED, input="what causes it\n\n\n\n")
    said = " ".join(result.output.split())
    assert "certain changes in genes" in said
    assert result.output.splitlines()[-1] == "[the call ends]"  # silence three times


def test_simulate_texts_prints_the_replies():
    result = run("simulate", "--sms", SHIPPED, input="symptoms\n0\n")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "> symptoms"
    assert "lump or swelling that does not hurt" in result.output
    assert "> 0" in lines and "To talk to a person, call 617-355-6000." in lines


def test_simulate_a_broken_menu_is_an_error(menu_file, small_menu_text):
    result = run("simulate", menu_file(small_menu_text.replace("1: symptoms", "1: symtoms")))
    assert result.exit_code == 1
    assert "Traceback" not in result.output


def test_test_runs_the_shipped_conversations():
    result = run("test", "--menu", SHIPPED, str(ROOT / "tests" / "conversations.yaml"))
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"\d+ conversations passed\n", result.output)


def test_test_says_which_step_failed(tmp_path):
    changed = (ROOT / "menus.yaml").read_text(encoding="utf-8").replace(
        "a lump or swelling that does not hurt", "a painless lump or swelling")
    (tmp_path / "menus.yaml").write_text(changed, encoding="utf-8")
    tests = str(ROOT / "tests" / "conversations.yaml")
    result = run("test", "--menu", str(tmp_path / "menus.yaml"), tests)
    assert result.exit_code == 1
    assert re.search(rf"^{re.escape(tests)}:\d+: symptoms, by phone: step 1 \(call 2\): expected "
                     "to hear 'a lump or swelling that does not hurt'; heard instead:$",
                     result.output, re.M)
    assert "a painless lump or swelling" in result.output
    assert re.search(r"^Error: \d+ of \d+ conversations failed$", result.output, re.M)


def test_test_a_broken_test_file_is_an_error(tmp_path):
    path = tmp_path / "conversations.yaml"
    path.write_text("- call: [2]\n  heard: lump\n", encoding="utf-8")
    result = run("test", "--menu", SHIPPED, str(path))
    assert result.exit_code == 1
    assert result.output == f"Error: {path}:1: unknown setting 'heard'; a step has call: or " \
        "text:, then hear:/reply: and not hear:/not reply:\n"
