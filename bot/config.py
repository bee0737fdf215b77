"""Settings from the environment and an optional .env file.

Everything a deployment changes lives here, named REPAYBOT_*; nothing else
reads the environment.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="REPAYBOT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str = "sqlite+aiosqlite:///var/repaybot.db"
    dialogs_dir: Path = ROOT / "dialogs"
    locales_dir: Path = ROOT / "locales"
    script_id: str = "repayment"
    telegram_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org"
    telegram_webhook_secret: SecretStr | None = None
    telegram_poll_timeout: int = 10  # seconds one getUpdates long poll waits
    node_name: str | None = None  # this machine's name on outbox leases (default: hostname)
    # Signs button data; all processes of one deployment need the same value. When
    # unset it is derived from the Telegram token (or the database URL).
    secret_key: SecretStr | None = None
    link_token_days: int = 7
    log_level: str = "WARNING"
    # The console is served over HTTPS (behind a proxy that terminates TLS): cookies
    # get the Secure flag. Off for the default, http://127.0.0.1.
    console_secure_cookies: bool = False
