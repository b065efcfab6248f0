"""Only `pgschema_tui.tui` may import Textual: the core stays usable (and fast) without it."""
from __future__ import annotations

import subprocess
import sys


def test_core_packages_do_not_load_textual():
    code = ("import sys\n"
            "import pgschema_tui.plan, pgschema_tui.plan.model, pgschema_tui.graph\n"
            "import pgschema_tui.apply, pgschema_tui.apply.events, pgschema_tui.apply.executor\n"
            "import pgschema_tui.diff, pgschema_tui.diff.changes, pgschema_tui.commands.review\n"
            "import pgschema_tui.tui.session, pgschema_tui.tui.apply_state, pgschema_tui.tui.plan_files\n"
            "print(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_textual_is_imported_only_under_tui():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "pgschema_tui"
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.py")
                 if "tui" not in p.relative_to(root).parts[:1]
                 and ("import textual" in p.read_text() or "from textual" in p.read_text())]
    assert offenders == []
