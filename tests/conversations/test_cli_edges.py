"""The command line at its edges: no tracebacks, clear single lines, locale tags, Ctrl-C."""

from __future__ import annotations

import argparse
import ctypes
import os
import pty
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.cli import locale_tag
from tests.telegram.fake_bot_api import FakeTelegram
from tests.terminal import ROOT, cli_env, read_until, read_until_closed

REPAYBOT = [sys.executable, "-m", "bot"]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return cli_env(f"sqlite:///{tmp_path / 'cli.db'}", **extra)


def _run(
    tmp_path: Path, *args: str, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*REPAYBOT, *args],
        input=stdin,
        env=_env(tmp_path, **env),
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("tag", "locale"),
    [
        ("en", "en"),
        ("en-GB", "en"),
        ("zh_Hans", "zh_Hans"),
        ("zh-Hans", "zh_Hans"),
        ("zh-CN", "zh_Hans"),
        ("zh_Hant", "zh_Hant"),
        ("zh-Hant", "zh_Hant"),
        ("zh-TW", "zh_Hant"),
        ("zh-HK", "zh_Hant"),
    ],
)
def test_locale_tags_are_read_as_the_import_reads_them(tag: str, locale: str) -> None:
    assert locale_tag(tag) == locale


@pytest.mark.parametrize("tag", ["fr", "", "klingon"])
def test_unknown_locale_tags_are_refused(tag: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        locale_tag(tag)


def test_chat_takes_a_region_tag_and_speaks_traditional_chinese(tmp_path: Path) -> None:
    imported = _run(tmp_path, "accounts", "import", str(ROOT / "data" / "demo_accounts.csv"))
    assert imported.returncode == 0, imported.stderr
    chat = _run(tmp_path, "chat", "--account", "DEMO-EN-1", "--locale", "zh-TW")
    assert chat.returncode == 0, chat.stderr
    # Traditional, not Simplified, and Taiwan usage (the account is not in Hong Kong);
    # the lender named in Chinese, and no "（自動回覆）" read as an out-of-office (issue 32).
    assert "智慧助理" in chat.stdout and "隱私" in chat.stdout
    assert "海港消費金融" in chat.stdout and "自動回覆" not in chat.stdout


def test_export_into_a_closed_pipe_exits_quietly(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # `| head` that has already read enough
    try:
        done = subprocess.run(
            [*REPAYBOT, "export", "arrangements"],
            env=_env(tmp_path),
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            cwd=tmp_path,
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert done.returncode == 0
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr


@pytest.mark.parametrize("framework", ["aiogram", "ptb"])
@pytest.mark.parametrize("command", [["telegram"], ["link", "DEMO-EN-1"]])
def test_unreachable_telegram_is_one_line_and_a_failure(
    tmp_path: Path, framework: str, command: list[str]
) -> None:
    args = [*command, "--framework", framework] if command == ["telegram"] else command
    done = _run(
        tmp_path,
        *args,
        REPAYBOT_TELEGRAM_TOKEN="123456:TEST-TOKEN",
        REPAYBOT_TELEGRAM_API_URL="http://127.0.0.1:9",  # the discard port: nothing listens
    )
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert done.stderr.startswith("Cannot reach Telegram at http://127.0.0.1:9")


@pytest.fixture
async def fake_telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as tg:
        yield tg


@pytest.mark.parametrize("framework", ["aiogram", "ptb"])
async def test_a_wrong_token_is_one_line_and_a_failure(
    tmp_path: Path, framework: str, fake_telegram: FakeTelegram
) -> None:
    import asyncio

    process = await asyncio.create_subprocess_exec(
        *REPAYBOT,
        "telegram",
        "--framework",
        framework,
        env=_env(
            tmp_path,
            REPAYBOT_TELEGRAM_TOKEN="999:WRONG",
            REPAYBOT_TELEGRAM_API_URL=fake_telegram.base_url,
        ),
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 1
    assert stderr.decode().strip() == (
        "Telegram rejected the bot token: check REPAYBOT_TELEGRAM_TOKEN (from @BotFather)."
    )


# tgkill(2): a signal to one thread of another process (x86_64 and aarch64 numbers).
_TGKILL = {"x86_64": 234, "aarch64": 131}


def _interrupt_other_threads(pid: int) -> None:
    """SIGINT to every thread of `pid` but its main one, as the kernel may deliver it."""
    libc = ctypes.CDLL(None, use_errno=True)
    for task in Path(f"/proc/{pid}/task").iterdir():
        if int(task.name) != pid:
            libc.syscall(_TGKILL[os.uname().machine], pid, int(task.name), signal.SIGINT)


@pytest.mark.parametrize("where", ["terminal", "another thread"])
def test_ctrl_c_ends_the_terminal_conversation_cleanly(tmp_path: Path, where: str) -> None:
    if where == "another thread" and os.uname().machine not in _TGKILL:
        pytest.skip("tgkill number unknown on this architecture")
    imported = _run(tmp_path, "accounts", "import", str(ROOT / "data" / "demo_accounts.csv"))
    assert imported.returncode == 0, imported.stderr
    pid, fd = pty.fork()
    if pid == 0:  # the child: the chat on a real terminal
        env = _env(tmp_path)
        os.chdir(tmp_path)
        os.execve(sys.executable, [*REPAYBOT, "chat", "--account", "DEMO-EN-1"], env)  # noqa: S606 - a fixed argv, no shell
    seen = read_until(fd, b"", b"> ")
    if where == "terminal":
        os.write(fd, b"\x03")  # Ctrl-C at the prompt
    else:
        # The kernel hands a process's SIGINT to any of its threads: when it was not the
        # main one, asyncio's own handler never ran and the chat hung.
        _interrupt_other_threads(pid)
    seen = read_until_closed(fd, seen)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 130
    assert b"Traceback" not in seen


def test_promises_report_on_an_empty_portfolio_and_a_bad_date(tmp_path: Path) -> None:
    report = _run(tmp_path, "promises", "report")
    assert report.returncode == 0, report.stderr
    assert "Promise-kept rate: n/a (none decided yet)" in report.stdout
    assert "Broken-promise recovery rate: n/a" in report.stdout
    bad = _run(tmp_path, "promises", "report", "--since", "last week")
    assert bad.returncode == 2
    assert "--since" in bad.stderr and "Traceback" not in bad.stderr
