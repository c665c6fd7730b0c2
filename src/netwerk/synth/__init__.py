"""Synthetic municipalities with planted patterns (see :func:`netwerk.generate.generate`): Oldambt by default,
any Dutch municipality by CBS code; scenario B (:mod:`netwerk.synth.scenario_export`) is a police export
written by its own code path."""
