"""Benchmarks: `make bench` (or `python -m bench`) prints each figure beside a bare baseline.

Everything the bench drives goes through the project's stable seams, gathered in
`bench/seams.py`, so it keeps working when the runtime behind them changes.
"""
