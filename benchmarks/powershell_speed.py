"""CPU cost of the interpreted agent: the iis_facts detection batch run by winsim's PowerShell interpreter.

    .venv/bin/python benchmarks/powershell_speed.py [--runs N] [--profile iis4-kb]

Prints two figures, each as the one-off parse+compile cost and the CPU time per batch once compiled (best,
median):
- the agent alone: the joined agent*.ps1 run by an Engine on the request read from $input;
- the whole invocation a host runs per iis_facts call: powershell.exe -EncodedCommand <bootstrap> with the
  agent and the request on stdin (winsim.host.runtime.powershell_exe.run_powershell), so the bootstrap's digest
  loop over the agent's lines is included. That difference is what a compressed agent (issue 11) would cut.
The issue's budget: at most 60 ms of CPU per detection batch once parsed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "winsim"))

import agent_fixtures  # noqa: E402,F401 - puts ansible_collections on sys.path
from host_fixtures import new_host  # noqa: E402

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils import agent_client, iis_detect  # noqa: E402
from winsim.host.runtime import build_invocation  # noqa: E402
from winsim.host.runtime.context import ProcessContext  # noqa: E402
from winsim.host.runtime.powershell_exe import run_powershell  # noqa: E402
from winsim.powershell.engine import Engine, coverage_registry, make_runtime  # noqa: E402


def cpu_ms(action) -> float:
    started = time.process_time()
    action()
    return (time.process_time() - started) * 1000


def whole_invocation(host, request: dict) -> dict:
    """What a host runs per call: powershell.exe with the bootstrap as -EncodedCommand, the agent on stdin."""
    script = agent_client.AgentScript.load()
    command, arguments = script.command().split(" ", 1)
    invocation = build_invocation(host, command, arguments, script.stdin(request), None)
    with host.lock:
        ctx = ProcessContext.for_logon(host, None, invocation.stdin)
    output = run_powershell(ctx, invocation.powershell)
    assert output.rc == 0 and output.stderr == "", output.stderr
    return json.loads(output.stdout)


def report(label: str, first: float, timings: list[float]) -> None:
    print(f"{label}: first run (parse + compile + run) {first:.1f} ms CPU; compiled runs: best {min(timings):.1f} ms, "
          f"median {statistics.median(timings):.1f} ms CPU over {len(timings)} runs (budget 60 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--profile", default="iis4-kb")
    options = parser.parse_args()

    host = new_host(Path(tempfile.mkdtemp(prefix="ps_speed_")), options.profile)
    request = iis_detect.build_detection_batch(event_lookback=200).to_request()
    text = json.dumps(request, separators=(",", ":"))
    source = agent_client.agent_source()

    results: list[dict] = []
    first = cpu_ms(lambda: results.append(json.loads(Engine(make_runtime(host)).run(source, input_lines=[text])
                                                     .output[-1])))
    response = results[-1]
    assert response["ok"], response["error"]
    failed = [r["id"] for r in response["results"] if not r["ok"]]
    timings = [cpu_ms(lambda: Engine(make_runtime(host)).run(source, input_lines=[text])) for _ in range(options.runs)]

    whole_first = cpu_ms(lambda: results.append(whole_invocation(host, request)))
    assert results[-1]["ok"], results[-1]["error"]
    whole = [cpu_ms(lambda: whole_invocation(host, request)) for _ in range(options.runs)]

    executed = len(coverage_registry().get(source, ()))
    print(f"detection batch: {len(request['operations'])} operations ({len(failed)} answered with an error), "
          f"profile {options.profile}")
    report("agent alone", first, timings)
    report("whole invocation (bootstrap + agent)", whole_first, whole)
    print(f"bootstrap share of a compiled invocation: {statistics.median(whole) - statistics.median(timings):.1f} ms "
          f"CPU (digest of the agent's lines; what a compressed agent would cut)")
    print(f"agent statement lines executed: {executed}")


if __name__ == "__main__":
    main()
