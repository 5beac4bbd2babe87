"""Benchmarks: `make bench`. Not part of the tests; prints figures."""
