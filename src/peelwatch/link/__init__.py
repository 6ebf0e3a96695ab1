"""peelwatch.link: how findings relate across documents, cycles and forces.

* :mod:`~peelwatch.link.findings` - a finding restated by another document of the same force
  and cycle (pure text rules the store applies while it writes);
* :mod:`~peelwatch.link.areas` - the framework area or question a finding is about;
* :mod:`~peelwatch.link.recurrence` - the same issue raised again (scores of finding pairs);
* :mod:`~peelwatch.link.linker` - :func:`link_document` (:func:`link_documents` for a batch),
  run after a document is stored: ``recurs``/``theme`` links, discharge statements tied to
  their findings, editors' rejections;
* :mod:`~peelwatch.link.discharges` - the finding a discharge statement names by its words;
* :mod:`~peelwatch.link.claims` - a claimed grade against the inspectorate's.
"""

from __future__ import annotations

from peelwatch.link.areas import AreaKey, finding_area_key
from peelwatch.link.claims import OUTCOMES, compare_grades
from peelwatch.link.discharges import match_named
from peelwatch.link.findings import (
    MATCH_THRESHOLD,
    RECUR_THRESHOLD,
    Candidate,
    best_match,
    discharge_match,
    discharge_quote,
    is_authoritative_kind,
    normalise,
    recurrences,
    similarity,
)
from peelwatch.link.linker import (
    LinkError,
    LinkIndex,
    LinkSummary,
    index_findings,
    link_discharges,
    link_document,
    link_documents,
    match_discharge,
    reject_link,
    relink_all,
    relink_finding,
    restore_link,
)
from peelwatch.link.recurrence import RECURRENCE_THRESHOLD, core_text, pair_score

__all__ = [
    "MATCH_THRESHOLD",
    "OUTCOMES",
    "RECURRENCE_THRESHOLD",
    "RECUR_THRESHOLD",
    "AreaKey",
    "Candidate",
    "LinkError",
    "LinkIndex",
    "LinkSummary",
    "best_match",
    "compare_grades",
    "core_text",
    "discharge_match",
    "discharge_quote",
    "finding_area_key",
    "index_findings",
    "is_authoritative_kind",
    "link_discharges",
    "link_document",
    "link_documents",
    "match_discharge",
    "match_named",
    "normalise",
    "pair_score",
    "recurrences",
    "reject_link",
    "relink_all",
    "relink_finding",
    "restore_link",
    "similarity",
]
