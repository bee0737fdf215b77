"""Issue 34 point 9: what commonly stops a command is said in one line, never a
traceback: a database URL that cannot be read, a PostgreSQL database that does not
exist, a file or directory that is not there. Every command that opens the database
is run as an operator runs it (a subprocess), so a command added later without the
shared handling in bot/cli.py shows up here. Also issue 34 point 6: a breathing
space that ends in the past is refused."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.conftest import PG_ADMIN
from tests.conversations.test_cli_edges import _run
from tests.terminal import ROOT

TOKEN = {"REPAYBOT_TELEGRAM_TOKEN": "123456:TEST-TOKEN"}
# (arguments, stdin, extra environment) for every command that opens the database.
DATABASE_COMMANDS: dict[str, tuple[tuple[str, ...], str, dict[str, str]]] = {
    "db upgrade": (("db", "upgrade"), "", {}),
    "accounts import": (("accounts", "import", str(ROOT / "data" / "demo_accounts.csv")), "", {}),
    "accounts pause": (("accounts", "pause", "ACC-1", "--kind", "breathing-space"), "", {}),
    "accounts resume": (("accounts", "resume", "ACC-1"), "", {}),
    "payments import": (
        ("payments", "import", str(ROOT / "tests" / "fixtures" / "accounts.csv")),
        "",
        {},
    ),
    "chat": (("chat", "--account", "DEMO-EN-1"), "", {}),
    "demo": (("demo",), "", {}),
    "telegram": (("telegram",), "", TOKEN),
    "link": (("link", "DEMO-EN-1"), "", TOKEN),
    "console": (("console", "--port", "9"), "", {}),
    "users add": (("users", "add", "mei", "--role", "agent"), "a-long-enough-password-1\n", {}),
    "tokens add": (("tokens", "add", "crm", "--role", "agent"), "", {}),
    "inbox failed": (("inbox", "failed"), "", {}),
    "inbox retry": (("inbox", "retry", "1"), "", {}),
    "outbox failed": (("outbox", "failed"), "", {}),
    "outbox retry": (("outbox", "retry", "1"), "", {}),
    "export": (("export", "escalations"), "", {}),
}
MALFORMED = ("not a url", "postgresql://postgres@127.0.0.1:port/x", "nosuchdb://x/y")


def _one_line(done: object) -> str:
    stderr: str = getattr(done, "stderr", "")
    assert "Traceback" not in stderr, stderr
    assert stderr.strip() and stderr.strip().count("\n") == 0, stderr
    return stderr.strip()


@pytest.mark.parametrize("command", list(DATABASE_COMMANDS))
def test_a_malformed_database_url_is_one_line(tmp_path: Path, command: str) -> None:
    args, stdin, env = DATABASE_COMMANDS[command]
    done = _run(tmp_path, *args, stdin=stdin, REPAYBOT_DATABASE_URL=MALFORMED[0], **env)
    assert done.returncode == 1
    assert _one_line(done).startswith("REPAYBOT_DATABASE_URL is not a database URL")


@pytest.mark.parametrize("url", MALFORMED[1:])
def test_every_way_a_url_is_malformed_is_one_line(tmp_path: Path, url: str) -> None:
    """A port that is not a number, a database SQLAlchemy has no driver for."""
    done = _run(tmp_path, "export", "arrangements", REPAYBOT_DATABASE_URL=url)
    assert done.returncode == 1
    assert _one_line(done).startswith("REPAYBOT_DATABASE_URL is not a database URL")


@pytest.mark.parametrize("command", list(DATABASE_COMMANDS))
def test_an_absent_postgresql_database_is_one_line(tmp_path: Path, command: str) -> None:
    args, stdin, env = DATABASE_COMMANDS[command]
    name = f"repaybot_absent_{uuid.uuid4().hex[:12]}"  # never created
    url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    done = _run(tmp_path, *args, stdin=stdin, REPAYBOT_DATABASE_URL=url, **env)
    assert done.returncode == 1
    line = _one_line(done)
    assert line.startswith("Cannot open the database") and f'"{name}" does not exist' in line


def test_a_password_in_the_url_is_never_printed(tmp_path: Path) -> None:
    url = "postgresql://postgres:hunter2secret@127.0.0.1:5432/repaybot_absent_pw"
    done = _run(tmp_path, "outbox", "failed", REPAYBOT_DATABASE_URL=url)
    assert done.returncode == 1
    assert "hunter2secret" not in _one_line(done)


def test_commands_without_a_database_ignore_its_url(tmp_path: Path) -> None:
    done = _run(tmp_path, "rules", REPAYBOT_DATABASE_URL="not a url")
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("export", "disputes", "--output", "missing/dir/x.csv"),
        ("accounts", "import", "missing/dir/x.csv"),
        ("payments", "import", "missing/dir/x.csv"),
        ("dialogs", "check", "--dir", "missing/dir"),
    ],
)
def test_a_missing_directory_is_one_line(tmp_path: Path, args: tuple[str, ...]) -> None:
    done = _run(tmp_path, *args)
    assert done.returncode == 2
    assert "missing/dir" in _one_line(done)
    assert not (tmp_path / "missing").exists()  # nothing was made on the way


@pytest.mark.rule("R16")
def test_a_breathing_space_that_ended_in_the_past_is_refused(tmp_path: Path) -> None:
    imported = _run(tmp_path, "accounts", "import", str(ROOT / "data" / "demo_accounts.csv"))
    assert imported.returncode == 0, imported.stderr
    past = ("accounts", "pause", "DEMO-EN-1", "--kind", "breathing-space", "--until", "2020-01-01")
    done = _run(tmp_path, *past)
    assert done.returncode == 2
    assert _one_line(done).startswith("--until 2020-01-01 has passed")
    # Nothing was paused: the operator can set one that ends later, and lifting the
    # refused one finds nothing to lift.
    assert _run(tmp_path, "accounts", "resume", "DEMO-EN-1").returncode == 1
    later = ("accounts", "pause", "DEMO-EN-1", "--kind", "breathing-space", "--until", "2999-01-01")
    assert _run(tmp_path, *later).returncode == 0
