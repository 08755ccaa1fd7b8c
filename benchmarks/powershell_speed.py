"""CPU cost of the interpreted agent: the iis_facts detection batch run by winsim's PowerShell interpreter.

    .venv/bin/python benchmarks/powershell_speed.py [--runs N] [--profile iis4-kb]

Prints the one-off parse+compile cost and the CPU time per batch once compiled (best, median), the number of
operations in the batch, and the agent statements executed. The issue's budget: at most 60 ms of CPU per
detection batch once parsed.
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
from winsim.powershell.engine import Engine, coverage_registry, make_runtime  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--profile", default="iis4-kb")
    options = parser.parse_args()

    host = new_host(Path(tempfile.mkdtemp(prefix="ps_speed_")), options.profile)
    request = iis_detect.build_detection_batch(event_lookback=200).to_request()
    text = json.dumps(request, separators=(",", ":"))
    source = agent_client.agent_source()

    engine = Engine(make_runtime(host))
    started = time.process_time()
    first = engine.run(source, input_lines=[text])
    first_cpu = time.process_time() - started
    response = json.loads(first.output[-1])
    assert response["ok"], response["error"]
    failed = [r["id"] for r in response["results"] if not r["ok"]]

    timings = []
    for _ in range(options.runs):
        started = time.process_time()
        Engine(make_runtime(host)).run(source, input_lines=[text])
        timings.append((time.process_time() - started) * 1000)

    executed = len(coverage_registry().get(source, ()))
    print(f"detection batch: {len(request['operations'])} operations ({len(failed)} answered with an error), "
          f"profile {options.profile}")
    print(f"first run (parse + compile + run): {first_cpu * 1000:.1f} ms CPU")
    print(f"compiled runs: best {min(timings):.1f} ms, median {statistics.median(timings):.1f} ms CPU "
          f"over {options.runs} runs (budget 60 ms)")
    print(f"agent statement lines executed: {executed}")


if __name__ == "__main__":
    main()
