"""Benchmarks at archive scale: ``make bench`` (see ``benchmarks/run.py --help``)."""
