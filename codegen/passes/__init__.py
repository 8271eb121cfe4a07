"""Passes over the IR, run in a declared order: merge, infer, resolve."""
