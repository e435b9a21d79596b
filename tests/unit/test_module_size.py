"""No module of the package grows past 400 lines: a longer one is split along its seams
(a sub-domain's folder, reads apart from writes, one concern a module)."""

from __future__ import annotations

from pathlib import Path

import perp_track

ROOT = Path(perp_track.__file__).parent
LIMIT = 400


def _lengths() -> dict[str, int]:
    return {
        path.relative_to(ROOT).as_posix(): len(path.read_text().splitlines())
        for path in ROOT.rglob("*.py")
    }


def test_no_module_is_over_the_limit():
    lengths = _lengths()
    assert len(lengths) > 100  # the package's modules were found
    over = {name: n for name, n in lengths.items() if n > LIMIT}
    assert over == {}, f"modules over {LIMIT} lines: {over}"
