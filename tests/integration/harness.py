"""Drive a simulated fleet the way a user does: the winsim CLI, then real `ansible` / `ansible-playbook` runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def ansible_env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"),
        ANSIBLE_COLLECTIONS_PATH=str(ROOT / ".venv" / "collections"),
        ANSIBLE_LOCAL_TEMP=str(tmp / "ansible-local"),
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_FORCE_COLOR="0",
        ANSIBLE_CALLBACK_PLUGINS=str(Path(__file__).parent / "callback_plugins"),
        ANSIBLE_CALLBACKS_ENABLED="record_results",
        ANSIBLE_LOAD_CALLBACK_PLUGINS="1",
        ANSIBLE_DEPRECATION_WARNINGS="0",
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
    )
    return env


class AnsibleRun:
    """One ansible/ansible-playbook run read through the json callback."""

    def __init__(self, process: subprocess.CompletedProcess[str], record: Path, *, recorded: bool = True) -> None:
        self.rc = process.returncode
        self.stdout = process.stdout
        self.stderr = process.stderr
        self.recorded = record.exists()
        if not self.recorded and not recorded:  # a run killed on purpose writes no record
            self.report: dict[str, Any] = {"plays": [], "stats": {}}
            return
        try:
            self.report = json.loads(record.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise AssertionError(f"ansible recorded no results:\n{process.stdout}\n{process.stderr}") from exc

    @property
    def stats(self) -> dict[str, dict[str, int]]:
        return self.report.get("stats", {})

    def results(self, task_index: int = -1, play_index: int = 0) -> dict[str, dict[str, Any]]:
        """Per-host results of one task (the last by default)."""
        return self.report["plays"][play_index]["tasks"][task_index]["hosts"]

    def task_results(self, name: str, play_index: int = 0) -> dict[str, dict[str, Any]]:
        for task in self.report["plays"][play_index]["tasks"]:
            if task["task"]["name"] == name:
                return task["hosts"]
        raise KeyError(name)


class Fleet:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.inventory = workdir / "inventory.yml"
        self._runs = 0

    # -- the winsim CLI -----------------------------------------------------------------------------------
    def winsim(self, *args: str, check: bool = True,
               env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        process = subprocess.run([sys.executable, "-m", "winsim", *args], cwd=ROOT, text=True,
                                 capture_output=True, timeout=300, env={**os.environ, **(env or {})})
        if check and process.returncode != 0:
            raise AssertionError(f"winsim {' '.join(args)} failed:\n{process.stdout}\n{process.stderr}")
        return process

    def start(self, *args: str, env: dict[str, str] | None = None) -> Fleet:
        """`env` adds variables for the fleet daemon (for example WINSIM_SETUP_TIME_SCALE)."""
        self.winsim("start", "--workdir", str(self.workdir), *args, env=env)
        return self

    def stop(self) -> None:
        self.winsim("stop", "--workdir", str(self.workdir), check=False)

    def metrics(self) -> dict[str, dict[str, Any]]:
        return json.loads(self.winsim("metrics", "--workdir", str(self.workdir)).stdout)

    def state(self, host: str) -> dict[str, Any]:
        return json.loads(self.winsim("state", "--workdir", str(self.workdir), host).stdout)

    def host_vars(self, host: str) -> dict[str, Any]:
        inventory = yaml.safe_load(self.inventory.read_text(encoding="utf-8"))
        for group in inventory["all"]["children"]["windows"]["children"].values():
            if host in group["hosts"]:
                return dict(group["hosts"][host])
        raise KeyError(host)

    def hosts(self) -> list[str]:
        inventory = yaml.safe_load(self.inventory.read_text(encoding="utf-8"))
        return [h for g in inventory["all"]["children"]["windows"]["children"].values() for h in g["hosts"]]

    # -- Ansible ------------------------------------------------------------------------------------------
    def ansible(self, pattern: str, module: str, module_args: str = "", *extra: str,
                inventory: Path | None = None) -> AnsibleRun:
        argv = [str(BIN / "ansible"), "-i", str(inventory or self.inventory), pattern, "-m", module]
        if module_args:
            argv += ["-a", module_args]
        return self._run([*argv, *extra])

    def playbook(self, playbook: Path | str, *extra: str, inventory: Path | None = None,
                 env: dict[str, str] | None = None, recorded: bool = True, timeout: int = 900) -> AnsibleRun:
        """`env` adds to (or overrides) the run's environment; `recorded=False` accepts a run that ends
        before the results are written (one that a test kills on purpose); `timeout` in seconds."""
        return self._run([str(BIN / "ansible-playbook"), "-i", str(inventory or self.inventory), str(playbook),
                          *extra], env=env, recorded=recorded, timeout=timeout)

    def _run(self, argv: list[str], env: dict[str, str] | None = None, recorded: bool = True,
             timeout: int = 900) -> AnsibleRun:
        self._runs += 1
        record = self.workdir / f"ansible-run-{self._runs}.json"
        run_env = ansible_env(self.workdir)
        run_env.update(env or {})
        run_env["RECORD_RESULTS_FILE"] = str(record)
        process = subprocess.run(argv, cwd=ROOT, text=True, capture_output=True, timeout=timeout, env=run_env)
        return AnsibleRun(process, record, recorded=recorded)
