"""Settings from the environment and an optional .env file.

Everything a deployment changes lives here, named REPAYBOT_*; nothing else
reads the environment.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, model_validator
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
    # Groups this process's outbox worker by machine, for an operator (default: the
    # hostname). Every process has its own generated worker id whatever the node, so
    # processes sharing a node never take each other's work.
    node_name: str | None = None
    # The outbox's heartbeat, and how long a silent worker is trusted before its
    # leases are taken back: a killed process's messages wait about this long.
    # Shorter means a faster take-over but a busy process is sooner taken for gone.
    outbox_heartbeat_seconds: float = Field(default=5.0, gt=0)
    outbox_dead_after_seconds: float = Field(default=20.0, gt=0)
    # Signs button data; all processes of one deployment need the same value. When
    # unset it is derived from the Telegram token (or the database URL).
    secret_key: SecretStr | None = None
    link_token_days: int = 7
    # Chats the outbox sends to at once (each chat's messages stay in order).
    outbox_concurrency: int = Field(default=8, ge=1, le=64)
    log_level: str = "WARNING"

    @model_validator(mode="after")
    def _dead_after_spans_heartbeats(self) -> Settings:
        # One late beat must not make a live process look gone.
        if self.outbox_dead_after_seconds < 2 * self.outbox_heartbeat_seconds:
            raise ValueError(
                "REPAYBOT_OUTBOX_DEAD_AFTER_SECONDS must be at least twice "
                "REPAYBOT_OUTBOX_HEARTBEAT_SECONDS"
            )
        return self

    # The console is served over HTTPS (behind a proxy that terminates TLS): cookies
    # get the Secure flag. Off for the default, http://127.0.0.1.
    console_secure_cookies: bool = False
