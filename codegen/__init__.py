"""The generator: the DICOM standard's DocBook XML -> the typed package ``dicomstd._generated``.

Stages (see DESIGN.md): load (:mod:`codegen.docbook`), parse (``part03`` … ``part06``), passes
(:mod:`codegen.resolve`), render (:mod:`codegen.render`).
"""
