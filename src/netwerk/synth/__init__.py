"""Synthetic Oldambt municipality with planted patterns (see :func:`netwerk.generate.generate`)."""
