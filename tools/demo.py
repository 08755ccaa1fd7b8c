"""`make demo`: the whole story on a simulated fleet, over real WinRM.

Start a fleet (a healthy default-path host, KB-case hosts on x86 and Alpha, a not-applicable host and an
unreachable one), audit it, remediate it, audit again, show that a second remediation changes nothing, and
stop the fleet. The fleet reports (JSON, HTML, JUnit) stay in demo-run/.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORKDIR = ROOT / "demo-run"
FLEET = WORKDIR / "fleet"
FLEET_FILE = ROOT / "winsim" / "examples" / "demo-fleet.yml"


def banner(text: str) -> None:
    print(f"\n{'=' * 100}\n== {text}\n{'=' * 100}", flush=True)


def run(*argv: str, capture: bool = False) -> subprocess.CompletedProcess[str]:
    print(f"$ {' '.join(str(a) for a in argv)}", flush=True)
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"),
               ANSIBLE_COLLECTIONS_PATH=str(ROOT / ".venv" / "collections"), ANSIBLE_NOCOLOR="1")
    process = subprocess.run([str(a) for a in argv], cwd=ROOT, env=env, text=True,
                             capture_output=capture)
    if capture:
        print(process.stdout[-6000:], end="", flush=True)
    return process


def playbook(name: str, report: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run(BIN / "ansible-playbook", "-i", FLEET / "inventory.yml", f"winops.iis_hotfix.{name}",
               "-e", f"iis_hotfix_report_dir={report}", *extra, capture=True)


def outcomes(report: Path) -> dict[str, str]:
    document = json.loads((report / "report.json").read_text(encoding="utf-8"))
    return {host["name"]: host["kb"]["Q197303"]["outcome"] for host in document["hosts"]}


def recap_changes(output: str) -> dict[str, int]:
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"^(\S+)\s+:\s+ok=\d+\s+changed=(\d+)", output, re.M)}


def main() -> int:
    python = BIN / "python"
    banner("Synthetic Option Pack media and Q197303 fix files (our own files, never Microsoft's)")
    if run(python, "-m", "winsim", "media", "--out", WORKDIR / "files").returncode != 0:
        return 1
    banner("A simulated fleet on real WinRM (HTTPS with a fleet CA, NTLM)")
    if run(python, "-m", "winsim", "start", "--reset", "--workdir", FLEET, "--fleet", FLEET_FILE).returncode != 0:
        return 1
    media = ["-e", f"iis_hotfix_media={WORKDIR / 'files' / 'media'}",
             "-e", f"iis_hotfix_fix_files={WORKDIR / 'files' / 'fix'}"]
    try:
        banner("1. Audit (check mode: read-only)")
        playbook("audit", WORKDIR / "report-audit-before", "--check")
        before = outcomes(WORKDIR / "report-audit-before")

        banner("2. Remediate: back up, remove SMTP/NNTP, stage, overlay the fix, reinstall, restore, verify")
        playbook("remediate", WORKDIR / "report-remediate", *media)

        banner("3. Audit again")
        playbook("audit", WORKDIR / "report-audit-after")
        after = outcomes(WORKDIR / "report-audit-after")

        banner("4. Remediate a second time: nothing to change")
        second = playbook("remediate", WORKDIR / "report-remediate-again", *media)
        changes = recap_changes(second.stdout)
    finally:
        banner("Stopping the fleet")
        run(python, "-m", "winsim", "stop", "--workdir", FLEET)

    banner("Summary")
    print(f"{'host':<22}{'before':<18}{'after':<18}")
    for host in before:
        print(f"{host:<22}{before[host]:<18}{after.get(host, '-'):<18}")
    windows_hosts = {h: c for h, c in changes.items() if h != "localhost"}
    print(f"\nsecond remediation: {sum(windows_hosts.values())} changes on {len(windows_hosts)} hosts")
    print(f"reports: {WORKDIR / 'report-remediate' / 'report.html'} (and report.json, junit.xml beside it)")
    kb_hosts = [h for h, v in before.items() if v == "affected"]
    ok = (kb_hosts and all(after.get(h) == "fixed" for h in kb_hosts)
          and "unreachable" in after.values() and sum(windows_hosts.values()) == 0)
    print("\ndemo result: " + ("every KB-case host is fixed, the unreachable host is reported as such, "
                               "and a second run changed nothing" if ok else "NOT as expected, see above"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
