"""iis_facts run by the real `ansible-playbook` command over a connection plugin that replays recorded
agent responses: the collection loads, facts arrive, check mode works, and a host whose
connection fails is unreachable, never given a verdict."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

RECORDED_CONNECTION = '''
import json
import os

from ansible.errors import AnsibleConnectionFailure
from ansible.plugins.connection import ConnectionBase

DOCUMENTATION = """
name: recorded_windows
short_description: Replays recorded win-primitive-agent responses (tests only)
description: Answers every command with the response file named for the host in RECORDED_RESPONSES.
author: WinOps maintainers (@winops)
"""


class Connection(ConnectionBase):
    transport = "recorded_windows"
    _shell_type = "powershell"

    def _connect(self):
        self._connected = True
        return self

    def exec_command(self, cmd, in_data=None, sudoable=True):
        super().exec_command(cmd, in_data=in_data, sudoable=sudoable)
        if not in_data or not in_data.startswith(b"# protocol: win-primitive-agent/1\\n"):
            raise AssertionError("not an agent invocation")
        answer = json.loads(os.environ["RECORDED_RESPONSES"])[self._play_context.remote_addr]
        if answer == "unreachable":
            raise AnsibleConnectionFailure("recorded: connection refused")
        with open(answer, "rb") as handle:
            # The agent prints its response on one line.
            return 0, json.dumps(json.load(handle)).encode("ascii") + b"\\r\\n", b""

    def put_file(self, in_path, out_path):
        raise AssertionError("iis_facts must not transfer files")

    def fetch_file(self, in_path, out_path):
        raise AssertionError("iis_facts must not transfer files")

    def close(self):
        self._connected = False
'''

HOSTS = {
    "iis01": str(FIXTURES / "detect_nt4_iis4_nondefault_affected.json"),
    "iis02": str(FIXTURES / "detect_nt4_iis4_nondefault_fixed.json"),
    "down01": "unreachable",
}


PLAYBOOK = """
- name: Audit
  hosts: iis
  gather_facts: false
  tasks:
    - name: Read IIS facts
      winops.iis_hotfix.iis_facts:
        kb: [Q197303]
      register: audit

    - name: Keep what the task returned
      ansible.builtin.copy:
        content: "{{ audit | to_json }}"
        dest: "{{ playbook_dir }}/{{ inventory_hostname }}.json"
        mode: "0600"
      delegate_to: localhost
      check_mode: false
"""


@pytest.mark.parametrize("check_mode", [False, True])
def test_playbook_reports_verdicts_and_unreachable_hosts(tmp_path: Path, collections_root: Path, check_mode: bool):
    plugins = tmp_path / "connection_plugins"
    plugins.mkdir()
    (plugins / "recorded_windows.py").write_text(RECORDED_CONNECTION)
    inventory = tmp_path / "inventory.ini"
    inventory.write_text("[iis]\n" + "\n".join(HOSTS) + "\n[iis:vars]\nansible_connection=recorded_windows\n")
    (tmp_path / "audit.yml").write_text(PLAYBOOK)
    config = tmp_path / "ansible.cfg"
    config.write_text("[defaults]\n")
    env = {
        **os.environ,
        "ANSIBLE_CONFIG": str(config),
        "ANSIBLE_HOME": str(tmp_path / "home"),
        "ANSIBLE_LOCAL_TEMP": str(tmp_path / "tmp"),
        "ANSIBLE_COLLECTIONS_PATH": str(collections_root),
        "ANSIBLE_CONNECTION_PLUGINS": str(plugins),
        "ANSIBLE_NOCOLOR": "1",
        "RECORDED_RESPONSES": json.dumps(HOSTS),
    }
    command = [str(Path(sys.executable).with_name("ansible-playbook")), "-i", str(inventory), "audit.yml"]
    if check_mode:
        command.append("--check")
    completed = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)

    output = completed.stdout + completed.stderr
    assert completed.returncode == 4, output  # 4: a host was unreachable
    results = {host: json.loads((tmp_path / f"{host}.json").read_text()) for host in ("iis01", "iis02")}
    assert results["iis01"]["ansible_facts"]["iis_hotfix"]["kb"]["Q197303"]["verdict"] == "affected"
    assert results["iis02"]["ansible_facts"]["iis_hotfix"]["kb"]["Q197303"]["verdict"] == "fixed"
    assert results["iis01"]["changed"] is False and results["iis02"]["changed"] is False
    assert not (tmp_path / "down01.json").exists()
    assert re.search(r"down01\s*:\s*ok=0\s+changed=0\s+unreachable=1\s+failed=0", output), output
    assert "recorded: connection refused" in output
