"""`python -m winsim ...`: start, stop and inspect a simulated Windows fleet."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from winsim import control, daemon
from winsim.fleet_config import (
    FaultConfig,
    FleetConfigError,
    load_fleet_file,
    load_fleet_settings,
    parse_hosts_spec,
    validate_fault,
)

START_TIMEOUT_BASE = 60.0
START_TIMEOUT_PER_HOST = 1.0
STOP_TIMEOUT = 30.0


def _daemon_pid(workdir: Path) -> int | None:
    try:
        pid = json.loads((workdir / control.CONTROL_FILE).read_text(encoding="utf-8"))["pid"]
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError, KeyError):
        return None


def cmd_start(args: argparse.Namespace) -> int:
    workdir: Path = args.workdir.resolve()
    if _daemon_pid(workdir):
        print(f"winsim: a fleet is already running in {workdir}; stop it first", file=sys.stderr)
        return 1
    has_fleet = (workdir / daemon.FLEET_FILE).exists()
    if args.reset and workdir.exists():
        for child in ("hosts", "pki", daemon.FLEET_FILE, "inventory.yml", "winsim.log"):
            path = workdir / child
            shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
        has_fleet = False
    if args.fleet or args.hosts:
        if has_fleet:
            print(f"winsim: {workdir} already holds a fleet; run `start --workdir {workdir}` alone to restart it, "
                  "or add --reset to replace it", file=sys.stderr)
            return 1
        try:
            hosts = load_fleet_file(args.fleet) if args.fleet else parse_hosts_spec(args.hosts)
            settings = load_fleet_settings(args.fleet) if args.fleet else {}
        except FleetConfigError as exc:
            print(f"winsim: {exc}", file=sys.stderr)
            return 2
        workdir.mkdir(parents=True, exist_ok=True)
        daemon.save_fleet(workdir, hosts, settings=settings)
    elif not has_fleet:
        print("winsim: give --fleet FLEET.yml or --hosts PROFILE:COUNT[,...] (or a workdir with a fleet)",
              file=sys.stderr)
        return 2
    return _launch(workdir)


def _launch(workdir: Path) -> int:
    hosts, _ = daemon.load_fleet(workdir)
    log = workdir / "winsim.log"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(Path(__file__).resolve().parent.parent),
                                                                      os.environ.get("PYTHONPATH")])))
    with log.open("ab") as log_stream:
        process = subprocess.Popen(
            [sys.executable, "-m", "winsim", "daemon", "--workdir", str(workdir)],
            stdin=subprocess.DEVNULL, stdout=log_stream, stderr=subprocess.STDOUT,
            start_new_session=True, env=env,
        )
    deadline = time.monotonic() + START_TIMEOUT_BASE + START_TIMEOUT_PER_HOST * len(hosts)
    ready = workdir / daemon.READY_FILE
    while not ready.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            if process.poll() is None:
                process.kill()
            tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-25:]
            print("winsim: the fleet did not start:\n  " + "\n  ".join(tail), file=sys.stderr)
            return 1
        time.sleep(0.1)
    addresses = json.loads(ready.read_text(encoding="utf-8"))
    up = [_wait_accepting(addresses[h.name], h.listeners) for h in hosts if not h.unreachable]
    if not all(up):
        print("winsim: some hosts do not accept connections; see " + str(log), file=sys.stderr)
        return 1
    down = [h.name for h in hosts if h.unreachable]
    print(f"winsim: {len(up)} hosts up in {workdir}" + (f" ({len(down)} unreachable: {', '.join(down)})"
                                                         if down else ""))
    print(f"inventory: {workdir / 'inventory.yml'}")
    return 0


def _wait_accepting(address: str, listeners: list[str], timeout: float = 10.0) -> bool:
    port = 5986 if "https" in listeners else 5985
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((address, port), timeout=1.0):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def cmd_stop(args: argparse.Namespace) -> int:
    workdir: Path = args.workdir.resolve()
    pid = _daemon_pid(workdir)
    if pid is None:
        print(f"winsim: no fleet running in {workdir}")
        return 0
    try:
        control.call(workdir, "stop", timeout=5)
    except control.ControlError:
        os.kill(pid, signal.SIGTERM)
    if not _wait_gone(pid, STOP_TIMEOUT):
        os.killpg(pid, signal.SIGKILL)
        _wait_gone(pid, 5)
    (workdir / control.CONTROL_FILE).unlink(missing_ok=True)
    print(f"winsim: fleet in {workdir} stopped")
    return 0


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def cmd_state(args: argparse.Namespace) -> int:
    print(json.dumps(control.call(args.workdir.resolve(), "state", host=args.host), indent=1, sort_keys=True))
    return 0


def cmd_metrics(args: argparse.Namespace) -> int:
    result = control.call(args.workdir.resolve(), "metrics", hosts=args.hosts or None)
    print(json.dumps(result, indent=1, sort_keys=True))
    return 0


def cmd_faults(args: argparse.Namespace) -> int:
    faults = []
    for text in args.add or []:
        fields = dict(part.split("=", 1) for part in text.split(",") if "=" in part)
        fault = FaultConfig(
            action=fields.get("action", ""),
            on_request=int(fields["on_request"]) if "on_request" in fields else None,
            probability=float(fields["probability"]) if "probability" in fields else None,
            count=int(fields["count"]) if "count" in fields else None,
        )
        faults.append(validate_fault(fault, f"--add {text}").__dict__)
    result = control.call(args.workdir.resolve(), "set_faults", host=args.host, faults=faults,
                          latency_ms=args.latency_ms)
    print(json.dumps(result))
    return 0


def cmd_media(args: argparse.Namespace) -> int:
    from winsim.setup.media import PLATFORMS, write_media

    written = write_media(args.out, [args.platform] if args.platform else PLATFORMS)
    print(f"winsim: {len(written)} files written under {args.out / 'media'} and {args.out / 'fix'}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m winsim", description="Simulated Windows fleet on real WinRM.")
    sub = parser.add_subparsers(dest="command", required=True)

    start = sub.add_parser("start", help="start (or restart) a fleet in the background and write its inventory")
    start.add_argument("--workdir", type=Path, required=True)
    which = start.add_mutually_exclusive_group()
    which.add_argument("--fleet", type=Path, help="fleet file (YAML), see winsim/README.md")
    which.add_argument("--hosts", help="PROFILE:COUNT[,PROFILE:COUNT...], hosts named <profile>-<n>")
    start.add_argument("--reset", action="store_true", help="forget the workdir's previous fleet and its disks")
    start.set_defaults(func=cmd_start)

    stop = sub.add_parser("stop", help="stop the fleet; host disks stay in the workdir")
    stop.add_argument("--workdir", type=Path, required=True)
    stop.set_defaults(func=cmd_stop)

    state = sub.add_parser("state", help="one host's model as JSON")
    state.add_argument("--workdir", type=Path, required=True)
    state.add_argument("host")
    state.set_defaults(func=cmd_state)

    metrics = sub.add_parser("metrics", help="per-host requests, commands, bytes, auth failures, writes")
    metrics.add_argument("--workdir", type=Path, required=True)
    metrics.add_argument("hosts", nargs="*")
    metrics.set_defaults(func=cmd_metrics)

    faults = sub.add_parser("faults", help="replace a running host's faults and latency")
    faults.add_argument("--workdir", type=Path, required=True)
    faults.add_argument("host")
    faults.add_argument("--add", action="append", metavar="action=A,on_request=N|probability=P[,count=C]")
    faults.add_argument("--latency-ms", type=int)
    faults.set_defaults(func=cmd_faults)

    media = sub.add_parser("media", help="write synthetic Option Pack media and Q197303 fix files")
    media.add_argument("--out", type=Path, required=True, help="writes OUT/media/<platform>/ and OUT/fix/<platform>/")
    media.add_argument("--platform", choices=("x86", "alpha"), help="one platform only (default: both)")
    media.set_defaults(func=cmd_media)

    run = sub.add_parser("daemon", help=argparse.SUPPRESS)
    run.add_argument("--workdir", type=Path, required=True)
    run.set_defaults(func=lambda a: daemon.main(a.workdir.resolve()))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (control.ControlError, FleetConfigError) as exc:
        print(f"winsim: {exc}", file=sys.stderr)
        return 1
