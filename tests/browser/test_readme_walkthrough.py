"""The README's walk-through with curl works as written, against a live server with the demo.

The test takes the README's own sh block (the one that logs in with curl), points BASE at the
live server, and runs it with bash: every curl must answer 2xx (`--fail-with-body`) and every
step must succeed (`set -euo pipefail`), so a stale example fails here before a reader meets it.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCK = re.compile(r"```sh\n(.*?)```", re.S)


def walkthrough() -> str:
    blocks = [b for b in BLOCK.findall(README.read_text()) if "/api/auth/login" in b]
    assert len(blocks) == 1, "the README has one curl walk-through"
    return blocks[0]


def test_the_readme_walkthrough_runs_against_the_app(live_server: str, tmp_path: Path):
    script = walkthrough()
    assert script.startswith("BASE=http://127.0.0.1:8000\n")
    body = script.replace("BASE=http://127.0.0.1:8000", f"BASE={live_server}", 1)
    run = tmp_path / "walkthrough.sh"
    run.write_text(
        "set -euo pipefail\n"
        'curl() { command curl --fail-with-body --show-error "$@"; echo; }\n' + body
    )
    result = subprocess.run(  # noqa: S603 - the README's own commands
        ["/bin/bash", str(run)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    outputs = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    # The last call reads the case: the measure, both summons (the moved one kept) and events.
    case = outputs[-1]
    assert case["authority_reference"] == "LI.26.99.1234/26"
    assert [m["kind"] for m in case["measures"]] == ["mediation_216ter"]
    assert sorted(s["status"] for s in case["summons"]) == ["rescheduled", "scheduled"]
    attendance = [o for o in outputs if o.get("status") == "attended"]
    assert attendance, "the attendance example recorded nothing"
