"""How a host recognises and runs an agent invocation: the bootstrap's digest check, what PowerShell version
it needs, what it prints, and what it counts. The real client and Ansible's winrm plugin drive a real Host."""

from __future__ import annotations

import base64

import pytest
from agent_fixtures import AgentBatch, AgentRequestError, AgentResponseError, AgentSession
from host_fixtures import new_host

MARKER = "# protocol: win-primitive-agent/1"
SEPARATOR = "### win-primitive-agent request ###"


@pytest.fixture(scope="module")
def host(tmp_path_factory):
    return new_host(tmp_path_factory.mktemp("agent") / "host", "iis4-default", "AGENT-1")


@pytest.fixture
def session(host):
    return AgentSession(host)


def _stdin(session: AgentSession, script_lines: list[str], request: str = '{"protocol":"win-primitive-agent/1",'
           '"operations":[]}') -> bytes:
    return ("\n".join([*script_lines, SEPARATOR, request]) + "\n").encode("ascii")


def test_a_batch_is_one_agent_command_answered_in_one_ascii_line(session, host):
    before = dict(host.counters["commands_by_kind"])
    batch = AgentBatch()
    batch.system_info(op_id="system")

    response = session.run(batch)

    assert response.value("system")["computer_name"] == "AGENT-1"
    assert host.counters["commands_by_kind"].get("powershell", 0) == before.get("powershell", 0) + 1
    (result,) = session.ansible.wire.results
    assert result.kind == "powershell" and result.rc == 0 and result.stderr == b""
    assert result.stdout.endswith(b"\r\n") and result.stdout.count(b"\n") == 1
    assert all(32 <= byte <= 126 for byte in result.stdout.rstrip(b"\r\n"))


def test_the_response_describes_the_agent_that_ran(session):
    batch = AgentBatch()
    batch.system_info(op_id="system")
    agent = session.run(batch).agent
    assert agent["name"] == "win-primitive-agent"
    assert (agent["powershell_version"], agent["clr_version"]) == ("2.0", "2.0.50727.3625")
    assert agent["operations"] == sorted(agent["operations"]) and "file.tree" in agent["operations"]
    assert isinstance(agent["elapsed_ms"], int)


def test_a_damaged_script_is_refused_as_agent_corrupt_and_does_not_run(session, host):
    lines = session.script.script.splitlines()
    damaged = [*lines[:-1], lines[-1] + " # changed"]

    rc, stdout, stderr = session.exec(_stdin(session, damaged))

    assert (rc, stderr) == (0, b"")
    assert b'"kind":"agent_corrupt"' in stdout and b'"agent":null' in stdout


def test_the_client_reports_a_corrupt_agent_as_a_refused_request(tmp_path):
    host = new_host(tmp_path / "host")
    session = AgentSession(host)
    session.client._script = type(session.script)(script=session.script.script + "\n$x = 1",
                                                  bootstrap=session.script.bootstrap)
    batch = AgentBatch()
    batch.system_info()
    with pytest.raises(AgentRequestError) as refused:
        session.run(batch)
    assert refused.value.kind == "agent_corrupt"


def test_blank_lines_and_trailing_blanks_do_not_change_the_digest(session):
    lines = session.script.script.splitlines()
    spaced = [lines[0], "", *(line + "  \t" for line in lines[1:]), "   "]
    _, stdout, _ = session.exec(_stdin(session, spaced))
    assert b'"ok":true' in stdout


def test_crlf_line_ends_read_as_the_same_lines(session):
    stdin = _stdin(session, session.script.script.splitlines()).replace(b"\n", b"\r\n")
    _, stdout, _ = session.exec(stdin)
    assert b'"ok":true' in stdout


def test_a_missing_separator_is_agent_corrupt(session):
    stdin = ("\n".join(session.script.script.splitlines()) + "\n").encode("ascii")
    _, stdout, _ = session.exec(stdin)
    assert b'"kind":"agent_corrupt"' in stdout


def test_a_request_over_several_lines_is_joined_before_it_is_read(session):
    request = '{"protocol": "win-primitive-agent/1",\n "operations": [\n{"id": "a", "op": "system.info"}]}'
    _, stdout, _ = session.exec(_stdin(session, session.script.script.splitlines(), request))
    assert b'"id":"a","op":"system.info","ok":true' in stdout


def test_a_script_line_changed_on_the_way_is_refused_by_the_bootstrap(session, host):
    writes = host.counters["writes"]
    lines = session.script.script.splitlines()
    _, stdout, _ = session.exec(_stdin(session, [lines[0], "$injected = 1", *lines[1:]]))
    assert b'"kind":"agent_corrupt"' in stdout
    assert host.counters["writes"] == writes


def test_hostname_with_agent_stdin_runs_as_hostname(session):
    rc, stdout, _ = session.exec(_stdin(session, session.script.script.splitlines()), command="hostname")
    assert (rc, stdout.strip()) == (0, b"AGENT-1")


def test_the_bootstrap_command_is_decoded_from_its_base64_utf16_form(session):
    command = session.script.command()
    prefix, encoded = command.rsplit(" ", 1)
    bootstrap = base64.b64decode(encoded).decode("utf-16-le")
    tampered = bootstrap.replace(session.script.digest, "0" * 64)
    other = f"{prefix} {base64.b64encode(tampered.encode('utf-16-le')).decode()}"

    _, stdout, _ = session.exec(_stdin(session, session.script.script.splitlines()), command=other)

    assert b'"kind":"agent_corrupt"' in stdout


def test_read_only_batches_change_nothing_on_the_host(session, host):
    writes = host.counters["writes"]
    batch = AgentBatch()
    batch.system_info()
    batch.registry_read(r"HKLM\SOFTWARE\Microsoft\InetStp", subkeys=True)
    batch.service_query("SMTPSVC")
    batch.event_query("System")
    batch.file_stat(r"C:\WINNT\System32\inetsrv\smtpsvc.dll", sha256=True, pe=True, version=True)
    batch.file_tree(r"C:\Inetpub")
    assert not session.run(batch).failures()
    assert host.counters["writes"] == writes


def test_powershell_1_cannot_run_the_bootstrap_and_the_client_says_so(tmp_path):
    host = new_host(tmp_path / "host", powershell_version="1.0")
    session = AgentSession(host)
    batch = AgentBatch()
    batch.system_info()

    with pytest.raises(AgentResponseError) as failed:
        session.run(batch)

    assert failed.value.details["rc"] == 1
    assert "The term 'try' is not recognized" in failed.value.details["stderr"]
    assert session.ansible.wire.results[-1].kind == "powershell"


def test_a_host_without_powershell_answers_as_cmd_does(tmp_path):
    host = new_host(tmp_path / "host", powershell_version=None)
    session = AgentSession(host)
    batch = AgentBatch()
    batch.system_info()

    with pytest.raises(AgentResponseError) as failed:
        session.run(batch)

    assert "'PowerShell' is not recognized as an internal or external command" in failed.value.details["stderr"]
    assert host.counters["commands_by_kind"] == {"raw": 1}


def test_a_newer_powershell_reports_its_own_versions(tmp_path):
    host = new_host(tmp_path / "host", "no-iis", "NEW-1", os_version="5.2", arch="amd64", powershell_version="5.1")
    session = AgentSession(host)
    batch = AgentBatch()
    batch.system_info(op_id="system")
    response = session.run(batch)
    assert response.agent["powershell_version"] == "5.1.14393.0"
    assert response.value("system")["powershell"] == {"version": "5.1.14393.0", "clr_version": "4.0.30319.42000"}
