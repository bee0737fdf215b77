"""`python -m bot` is the same as the `repaybot` command."""

from bot.cli import main

raise SystemExit(main())
