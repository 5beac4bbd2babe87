"""Kintsugi: blameless post-mortems, 5 Whys analysis and post-mortem debt."""

__version__ = "0.1.0"
