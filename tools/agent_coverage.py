"""Statement coverage of the PowerShell agent (agent*.ps1) over a test run, from winsim's interpreter.

`make test` sets WINSIM_PS_COVERAGE to a directory; every process that runs PowerShell (pytest workers, fleet
daemons, detached launchers) writes the lines it executed there (winsim/powershell/coverage.py). This report
maps the scripts as they ran (minified for the wire, the launcher embedded, the bootstrap bound to a digest)
back to the lines of agent*.ps1, prints the figure per file and every statement never executed, and exits 1
when the whole is below the floor (95%).

    python tools/agent_coverage.py DIR [--floor 95]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / ".venv" / "collections"))

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils import agent_client  # noqa: E402
from winsim.powershell.coverage import collected, source_key, statement_lines  # noqa: E402

PARTS_DIR = agent_client.AGENT_PATH.parent


def _original_lines() -> list[tuple[str, int, str]]:
    """(file, line, text) of agent_source(), bootstrap and launcher, in that order."""
    rows = []
    for name in agent_client.AGENT_PARTS:
        for number, text in enumerate((PARTS_DIR / name).read_text(encoding="ascii").rstrip("\n").split("\n"), 1):
            rows.append((name, number, text))
    return rows


def _file_rows(path: Path) -> list[tuple[str, int, str]]:
    return [(path.name, n, t) for n, t in enumerate(path.read_text(encoding="ascii").split("\n"), 1)]


def align(ran: str, originals: list[tuple[str, int, str]]) -> dict[int, tuple[str, int]]:
    """Line of the script as it ran -> (file, line) it came from. The wire form only drops lines and strips
    indentation; a line the build rewrote (launcher or digest filled in) matches by position."""
    mapping: dict[int, tuple[str, int]] = {}
    index = 0
    for number, text in enumerate(ran.split("\n"), 1):
        wanted = text.strip()
        probe = index
        while probe < len(originals) and originals[probe][2].strip() != wanted:
            probe += 1
        if probe < len(originals):
            index = probe
        elif index < len(originals) and not wanted.startswith("#"):
            # A rewritten line: the next original code line stands for it.
            while index < len(originals) and (not originals[index][2].strip() or
                                               originals[index][2].strip().startswith("#")):
                index += 1
        if index < len(originals):
            mapping[number] = originals[index][:2]
            index += 1
    return mapping


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--floor", type=float, default=95.0)
    args = parser.parse_args()

    script = agent_client.AgentScript.load()
    agent_rows = _original_lines()
    bootstrap_rows = _file_rows(agent_client.BOOTSTRAP_PATH)
    launcher_rows = _file_rows(agent_client.LAUNCHER_PATH)
    launcher_sent = agent_client.minify_powershell(agent_client.LAUNCHER_PATH.read_text(encoding="ascii"),
                                                   keep_header=False)
    forms = {  # every form in which these scripts run, with the lines they come from
        source_key(agent_client.agent_source()): agent_rows,
        source_key(script.script): agent_rows,
        source_key(script.bootstrap): bootstrap_rows,
        source_key(agent_client.BOOTSTRAP_PATH.read_text(encoding="ascii")): bootstrap_rows,
        source_key(launcher_sent): launcher_rows,
        source_key(agent_client.LAUNCHER_PATH.read_text(encoding="ascii")): launcher_rows,
    }
    statements: set[tuple[str, int]] = set()
    for name in (*agent_client.AGENT_PARTS, agent_client.BOOTSTRAP_PATH.name, agent_client.LAUNCHER_PATH.name):
        text = (PARTS_DIR / name).read_text(encoding="ascii")
        statements.update((name, line) for line in statement_lines(text))
    # agent parts compiled alone lose nothing: a part holds whole statements.
    executed: set[tuple[str, int]] = set()
    seen_forms = 0
    for key, (source, lines) in collected(args.directory).items():
        rows = forms.get(key)
        if rows is None:
            continue
        seen_forms += 1
        mapping = align(source, rows)
        executed.update(mapping[line] for line in lines if line in mapping)
    covered = statements & executed
    total = len(statements)
    percent = 100.0 * len(covered) / total if total else 0.0
    print(f"PowerShell agent statement coverage: {percent:.1f}% ({len(covered)}/{total} statements of agent*.ps1, "
          f"from {seen_forms} script forms run by winsim's interpreter)")
    texts = {(name, n): t for name, n, t in (*agent_rows, *bootstrap_rows, *launcher_rows)}
    for name in sorted({n for n, _ in statements}):
        mine = {s for s in statements if s[0] == name}
        done = mine & executed
        print(f"  {name:<28} {100.0 * len(done) / len(mine):5.1f}% ({len(done)}/{len(mine)})")
    missed = sorted(statements - executed)
    if missed:
        print(f"statements never executed ({len(missed)}):")
        for name, line in missed:
            print(f"  {name}:{line}: {texts.get((name, line), '').strip()[:100]}")
    if percent < args.floor:
        print(f"agent coverage {percent:.1f}% is below the floor of {args.floor:.0f}%")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
