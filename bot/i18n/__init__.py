"""Translations and rendering: gettext catalogs, per-locale formatting of replies."""
