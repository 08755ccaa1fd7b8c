"""`make bench`: what the collection costs on the wire and in time, against the raw floor, on simulated fleets.

Prints, in one run and side by side:
- audit wall time and bytes per host against the raw floor playbook (one `raw: hostname` per host) at 50 and
  200 hosts, forks 50, 20 ms added to every HTTP request; the report play's fixed cost shown apart;
- remediation of one affected host: agent commands, HTTP requests and bytes, first run and converged run,
  against the media and fix-file bytes it has to send;
- staging 500 files: first stage, an unchanged re-stage, and one changed 64 KiB file (random and
  compressible content).
Each figure stands beside its target (issue "Wire efficiency") and whether it is met. Figures, not asserts:
the machines are shared and noisy. `--quick` runs the audit at 20 hosts only.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HERE = Path(__file__).resolve().parent


class Fleet:
    def __init__(self, workdir: Path, hosts: list[dict], latency_ms: int = 0) -> None:
        self.workdir = workdir
        fleet_file = workdir.parent / f"{workdir.name}.yml"
        fleet_file.write_text(yaml.safe_dump({"defaults": {"latency_ms": latency_ms}, "hosts": hosts}))
        self._winsim("start", "--reset", "--workdir", str(workdir), "--fleet", str(fleet_file))
        self.inventory = workdir / "inventory.yml"

    def _winsim(self, *args: str) -> str:
        process = subprocess.run([sys.executable, "-m", "winsim", *args], cwd=ROOT, text=True, capture_output=True)
        if process.returncode != 0:
            raise SystemExit(f"winsim {' '.join(args)} failed:\n{process.stdout}\n{process.stderr}")
        return process.stdout

    def metrics(self) -> dict[str, dict]:
        return json.loads(self._winsim("metrics", "--workdir", str(self.workdir)))

    def stop(self) -> None:
        self._winsim("stop", "--workdir", str(self.workdir))


def ansible_env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_COLLECTIONS_PATH=str(ROOT / ".venv" / "collections"),
               ANSIBLE_CALLBACK_PLUGINS=str(HERE / "callback_plugins"), ANSIBLE_CALLBACKS_ENABLED="play_timer",
               ANSIBLE_FORKS="50", ANSIBLE_NOCOLOR="1", ANSIBLE_LOCAL_TEMP=str(tmp / "ansible-local"),
               BENCH_PLAY_TIMES=str(tmp / "plays.json"), PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}")
    return env


def run(argv: list, env: dict[str, str], cwd: Path) -> tuple[float, dict]:
    """Wall seconds of an ansible run and its per-play times."""
    started = time.monotonic()
    process = subprocess.run([str(a) for a in argv], env=env, cwd=cwd, text=True, capture_output=True)
    seconds = time.monotonic() - started
    if process.returncode not in (0, 2):
        raise SystemExit(f"{argv[0]} failed ({process.returncode}):\n"
                         f"{process.stdout[-3000:]}\n{process.stderr[-2000:]}")
    plays_file = Path(env["BENCH_PLAY_TIMES"])
    plays = json.loads(plays_file.read_text()) if plays_file.exists() else {"plays": []}
    return seconds, plays


def totals(before: dict[str, dict], after: dict[str, dict], key: str, hosts: list[str] | None = None) -> int:
    names = hosts or list(after)
    return sum(after[h][key] - before.get(h, {}).get(key, 0) for h in names)


def agent_commands(before: dict, after: dict, host: str) -> int:
    return after[host]["commands_by_kind"].get("powershell", 0) - before.get(host, {}).get("commands_by_kind", {}).get(
        "powershell", 0)


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str]] = []

    def add(self, what: str, figure: str, target: str = "", met: bool | None = None) -> None:
        self.rows.append((what, figure, target, "" if met is None else ("met" if met else "NOT MET")))
        print(f"  {what:<58} {figure:>24}  {target:<14} {self.rows[-1][3]}", flush=True)


def bench_audit(table: Table, tmp: Path, count: int) -> None:
    fleet = Fleet(tmp / f"audit-{count}", [{"profile": "iis4-kb", "count": count, "name": "web"}], latency_ms=20)
    env = ansible_env(tmp)
    try:
        m0 = fleet.metrics()
        floor_s, _ = run([BIN / "ansible-playbook", "-i", fleet.inventory, HERE / "playbooks" / "raw_floor.yml"],
                         env, tmp)
        m1 = fleet.metrics()
        audit_s, plays = run([BIN / "ansible-playbook", "-i", fleet.inventory, "winops.iis_hotfix.audit",
                              "-e", f"iis_hotfix_report_dir={tmp / f'report-{count}'}"], env, tmp)
        m2 = fleet.metrics()
    finally:
        fleet.stop()
    floor_bytes = (totals(m0, m1, "bytes_in") + totals(m0, m1, "bytes_out")) / count
    audit_bytes = (totals(m1, m2, "bytes_in") + totals(m1, m2, "bytes_out")) / count
    report_s = sum(p.get("seconds", 0) for p in plays["plays"][1:])
    table.add(f"audit {count} hosts: raw floor wall time", f"{floor_s:.1f} s")
    table.add(f"audit {count} hosts: audit wall time (report play apart)",
              f"{audit_s - report_s:.1f} s + {report_s:.1f} s",
              "<= 1.2x floor" if count >= 200 else "", (audit_s - report_s) <= 1.2 * floor_s if count >= 200 else None)
    table.add(f"audit {count} hosts: ratio", f"{(audit_s - report_s) / floor_s:.2f}x")
    table.add(f"audit {count} hosts: bytes per host (floor)", f"{floor_bytes / 1024:.1f} KiB")
    table.add(f"audit {count} hosts: bytes per host (audit)",
              f"{audit_bytes / 1024:.1f} KiB ({audit_bytes / floor_bytes:.1f}x)",
              "<= 3x floor", audit_bytes <= 3 * floor_bytes)


def bench_remediation(table: Table, tmp: Path) -> None:
    files = tmp / "files"
    subprocess.run([sys.executable, "-m", "winsim", "media", "--out", str(files)], cwd=ROOT, check=True,
                   capture_output=True)
    sent = sum(p.stat().st_size for p in (files / "media" / "x86").rglob("*") if p.is_file())
    sent += sum(p.stat().st_size for p in (files / "fix").rglob("*") if p.is_file() and "x86" in str(p).lower())
    fleet = Fleet(tmp / "remediate", [{"profile": "iis4-kb", "name": "web"}, {"profile": "no-iis", "name": "floor"}])
    env = ansible_env(tmp)
    host = "web"
    try:
        m0 = fleet.metrics()
        run([BIN / "ansible-playbook", "-i", fleet.inventory, HERE / "playbooks" / "raw_floor.yml", "--limit", "floor"],
            env, tmp)
        m1 = fleet.metrics()
        media = ["-e", f"iis_hotfix_media={files / 'media'}", "-e", f"iis_hotfix_fix_files={files / 'fix'}",
                 "--limit", f"{host},localhost"]
        run([BIN / "ansible-playbook", "-i", fleet.inventory, "winops.iis_hotfix.remediate", *media], env, tmp)
        m2 = fleet.metrics()
        run([BIN / "ansible-playbook", "-i", fleet.inventory, "winops.iis_hotfix.remediate", *media], env, tmp)
        m3 = fleet.metrics()
    finally:
        fleet.stop()
    floor = totals(m0, m1, "bytes_in", ["floor"]) + totals(m0, m1, "bytes_out", ["floor"])
    first = totals(m1, m2, "bytes_in", [host]) + totals(m1, m2, "bytes_out", [host])
    second = totals(m2, m3, "bytes_in", [host]) + totals(m2, m3, "bytes_out", [host])
    table.add("remediation: media + fix bytes to send", f"{sent / 1024:.0f} KiB")
    table.add("remediation first run: agent commands", str(agent_commands(m1, m2, host)), "<= 12",
              agent_commands(m1, m2, host) <= 12)
    table.add("remediation first run: HTTP requests", str(totals(m1, m2, "requests", [host])))
    table.add("remediation first run: bytes", f"{first / 1024:.0f} KiB ({first / sent:.2f}x)", "<= 1.5x sent",
              first <= 1.5 * sent)
    table.add("converged run: agent commands", str(agent_commands(m2, m3, host)), "1",
              agent_commands(m2, m3, host) == 1)
    table.add("converged run: bytes", f"{second / 1024:.0f} KiB ({second / floor:.1f}x floor)", "<= 3x floor",
              second <= 3 * floor)


def _stage_tree(root: Path, rng: random.Random, compressible: bool) -> Path:
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    for index in range(499):
        (root / f"f{index:03}.bin").write_bytes(rng.randbytes(2048))
    big = root / "big.dat"
    big.write_bytes(_content(rng, compressible))
    return big


def _content(rng: random.Random, compressible: bool) -> bytes:
    if compressible:
        words = [b"SMTPSVC", b"NNTPSVC", b"inetsrv", b"[SourceDisksFiles]", b"=1,,", b"\r\n", b"HKLM,"]
        text = b"".join(rng.choice(words) for _ in range(20000))
        return text[:65536]
    return rng.randbytes(65536)


def bench_staging(table: Table, tmp: Path) -> None:
    fleet = Fleet(tmp / "staging", [{"profile": "no-iis", "name": "stage"}])
    env = ansible_env(tmp)
    rng = random.Random(197303)
    try:
        f0 = fleet.metrics()
        run([BIN / "ansible-playbook", "-i", fleet.inventory, HERE / "playbooks" / "raw_floor.yml"], env, tmp)
        f1 = fleet.metrics()
        floor = totals(f0, f1, "bytes_in") + totals(f0, f1, "bytes_out")
        for compressible in (False, True):
            kind = "compressible" if compressible else "random"
            source = tmp / f"source-{kind}"
            big = _stage_tree(source, rng, compressible)
            dest = f"C:\\stage-{kind}"
            adhoc = [BIN / "ansible", "-i", fleet.inventory, "stage", "-m", "winops.iis_hotfix.install_point",
                     "-a", f"src={source} dest={dest}"]
            m0 = fleet.metrics()
            run(adhoc, env, tmp)
            m1 = fleet.metrics()
            run(adhoc, env, tmp)
            m2 = fleet.metrics()
            big.write_bytes(_content(rng, compressible))
            run(adhoc, env, tmp)
            m3 = fleet.metrics()
            size = sum(p.stat().st_size for p in source.iterdir())

            def moved(a, b):
                return totals(a, b, "bytes_in") + totals(a, b, "bytes_out")
            table.add(f"staging 500 files ({kind}): first stage", f"{moved(m0, m1) / 1024:.0f} KiB "
                      f"({moved(m0, m1) / size:.2f}x of {size / 1024:.0f} KiB)")
            table.add(f"staging ({kind}): unchanged re-stage commands", str(agent_commands(m1, m2, "stage")), "1",
                      agent_commands(m1, m2, "stage") == 1)
            table.add(f"staging ({kind}): unchanged re-stage bytes",
                      f"{moved(m1, m2) / 1024:.0f} KiB ({moved(m1, m2) / floor:.1f}x floor)", "<= 3x floor",
                      moved(m1, m2) <= 3 * floor)
            table.add(f"staging ({kind}): one changed 64 KiB file", f"{moved(m2, m3) / 1024:.0f} KiB "
                      f"({moved(m2, m3) / 65536:.1f}x)", "<= 2x" if not compressible else "",
                      moved(m2, m3) <= 2 * 65536 if not compressible else None)
    finally:
        fleet.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="audit at 20 hosts only")
    parser.add_argument("--only", choices=["audit", "remediation", "staging"])
    args = parser.parse_args()
    table = Table()
    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; work in {tmp}")
    print(f"  {'figure':<58} {'value':>24}  {'target':<14} result")
    try:
        if args.only in (None, "audit"):
            for count in ((20,) if args.quick else (50, 200)):
                bench_audit(table, tmp, count)
        if args.only in (None, "remediation"):
            bench_remediation(table, tmp)
        if args.only in (None, "staging"):
            bench_staging(table, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    missed = [row for row in table.rows if row[3] == "NOT MET"]
    print(f"\n{len([r for r in table.rows if r[3]]) - len(missed)} targets met, {len(missed)} not met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
