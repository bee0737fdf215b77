"""The rules register: each rule of docs/rulebook.md, its enforcement and its tests."""
