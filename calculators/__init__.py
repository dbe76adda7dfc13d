"""Exact award calculators: typed rules (models), money parsing (amounts), arithmetic (engine). No I/O."""
