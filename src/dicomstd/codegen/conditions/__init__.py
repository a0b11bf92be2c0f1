"""Turn the condition prose of PS3.3 into expression trees, and report how much of it parses.

``python -m dicomstd.codegen conditions [--format text|json] [--unparsed] [--trees]`` prints the
coverage: how many of the distinct condition texts of Type 1C/2C attributes, ``Include … if and only
if …`` rows, usage C modules and numbers of Items stated under a condition became trees
(:class:`dicomstd.conditions.Condition`) without an unverifiable part, how many only partly, how
many not at all, and the texts not parsed whole by why they cannot be decided (a fact no attribute
records, another instance, the exchange, another section, a join between items, ambiguous grouping,
wording not read); ``--unparsed`` lists them by class with their unverifiable parts.

The pieces: :mod:`~.names` (what texts name: attributes, modules, functional groups, SOP
Classes), :mod:`~.tokens` (and a cursor over them), :mod:`~.leads` (the lead words of condition
sentences, shared with the PS3.3 parser), the grammar — :mod:`~.values` (references and values),
:mod:`~.subjects` (what a clause is about), :mod:`~.grammar` (expressions, clauses, predicates) —
:mod:`~.sentences` (what each sentence of a text states), :mod:`~.reasons` (why a part cannot be
decided) and :mod:`~.coverage` (every text of the standard, parsed once, and the report).
"""

from __future__ import annotations

from dicomstd.codegen.conditions.coverage import (
    ConditionTable,
    Coverage,
    Location,
    add_arguments,
    collect,
    coverage,
    parse_all,
    report_section,
    run,
    status,
)
from dicomstd.codegen.conditions.names import Vocabulary, names_from, normalise, vocabulary
from dicomstd.codegen.conditions.sentences import parse

__all__ = [
    "ConditionTable",
    "Coverage",
    "Location",
    "Vocabulary",
    "add_arguments",
    "collect",
    "coverage",
    "names_from",
    "normalise",
    "parse",
    "parse_all",
    "report_section",
    "run",
    "status",
    "vocabulary",
]
