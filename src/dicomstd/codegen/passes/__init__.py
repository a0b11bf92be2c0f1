"""Passes: pure ``Standard -> Standard`` functions, one concern per module, run in the order
:mod:`dicomstd.codegen.resolve` gives."""
