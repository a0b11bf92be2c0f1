"""The generator: the DICOM standard's DocBook XML -> the typed package ``dicomstd._generated``.

Stages (see DESIGN.md): load (:mod:`dicomstd.codegen.docbook`), parse (``part03`` … ``part06``),
passes (:mod:`dicomstd.codegen.resolve`), render (:mod:`dicomstd.codegen.render`).
"""
