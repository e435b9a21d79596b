"""A form's error summary names each field as the field's own label does."""

from __future__ import annotations

import re
from pathlib import Path

from perp_track.ui.labels import FIELD_LABELS
from perp_track.ui.templating import field_label

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
FIELD = re.compile(
    r'f\.(?:input|select|textarea|radios)\(\s*"([^"]+)"(?:\s*%\s*\w+)?,\s*_\("([^"]+)"'
)
SUMMARY = re.compile(r"f\.error_summary\(errors(?:, (\{.*?\}))?\) \}\}")
OWN = re.compile(r'"([^"]+)": _\("((?:[^"\\]|\\.)+)"\)')


def test_every_field_label_that_differs_from_the_usual_one_is_given_to_the_summary():
    wrong = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        summary = SUMMARY.search(text)
        if summary is None:
            continue
        own = {k: v.replace("\\'", "'") for k, v in OWN.findall(summary.group(1) or "")}
        for name, label in FIELD.findall(text):
            key = re.sub(r"\.%d\.", ".*.", name)
            usual = FIELD_LABELS.get(name.split(".")[-1])
            if label != usual and own.get(key) != label:
                wrong.append(f"{template.relative_to(TEMPLATES)}: {name} is “{label}”")
    assert not wrong, wrong


def test_the_pages_own_label_wins_for_a_row_field_too():
    assert field_label(str, "kind", {"kind": "Measure"}) == "Measure"
    assert field_label(str, "conditions.2.kind", {"conditions.*.kind": "Kind of condition"}) == (
        "Condition 3: Kind of condition"
    )
    assert field_label(str, "kind") == "Kind"
