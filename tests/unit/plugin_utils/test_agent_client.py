"""The agent client: one exec_command per batch, the documented stdin layout, and clear errors."""

from __future__ import annotations

import base64
import json

import pytest
from ansible.errors import AnsibleConnectionFailure
from ansible.playbook.play_context import PlayContext
from ansible.plugins.connection.psrp import Connection as PsrpConnection
from ansible.plugins.connection.winrm import Connection as WinrmConnection
from ansible.plugins.loader import connection_loader, shell_loader
from ansible.plugins.shell.powershell import ShellModule

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_batch import AgentBatch
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_client import (
    AgentClient,
    AgentScript,
    agent_digest,
    find_response,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import (
    AgentError,
    AgentRequestError,
    AgentResponseError,
    AgentTransportError,
    OperationFailed,
)

NASTY_PATH = "C:\\M\u00fcller\\x'; Remove-Item -Recurse C:\\ ; $(calc)\\\"quoted\""


def answer_all_ok(request):
    """A host that answers every operation with its own arguments."""
    return {
        "protocol": "win-primitive-agent/1",
        "ok": True,
        "agent": {"name": "win-primitive-agent", "elapsed_ms": 5},
        "results": [
            {"id": op["id"], "op": op["op"], "ok": True, "value": {"echo": op["args"]}} for op in request["operations"]
        ],
        "error": None,
    }


def small_batch() -> AgentBatch:
    batch = AgentBatch()
    batch.system_info(env=["windir"], op_id="system")
    batch.file_stat(NASTY_PATH, sha256=True, op_id="nasty")
    return batch


def test_a_batch_is_one_command_with_script_separator_and_request_on_stdin(windows_connection):
    connection = windows_connection(answer_all_ok)
    batch = small_batch()
    response = AgentClient(connection).run(batch)

    assert len(connection.invocations) == 1
    invocation = connection.invocations[0]
    assert invocation.request == batch.to_request()
    assert invocation.script_lines == AgentScript.load().script.splitlines()
    assert response["nasty"].value == {"echo": {"path": NASTY_PATH, "sha256": True, "pe": False, "version": False}}


def test_request_values_travel_as_ascii_json_never_inside_the_command(windows_connection):
    connection = windows_connection(answer_all_ok)
    AgentClient(connection).run(small_batch())
    invocation = connection.invocations[0]
    assert invocation.stdin.isascii()
    assert "\\u00fc" in invocation.stdin.decode("ascii")
    assert "Remove-Item" not in invocation.bootstrap and "ller" not in invocation.bootstrap
    # The command is the same whatever the request holds.
    other = windows_connection(answer_all_ok)
    batch = AgentBatch()
    batch.registry_read("HKLM\\SOFTWARE", op_id="other")
    AgentClient(other).run(batch)
    assert other.invocations[0].bootstrap == invocation.bootstrap


def test_command_prefix_is_the_one_ansible_powershell_plugins_recognise():
    command = AgentScript.load().command()
    winrm_prefix = ShellModule()._encode_script("", as_list=False, strict_mode=False, preserve_rc=False)
    assert command.startswith(winrm_prefix)
    encoded = command.split(" ")[-1]
    assert base64.b64decode(encoded).decode("utf-16-le") == AgentScript.load().bootstrap
    assert len(command) < 8191, "cmd.exe (the default shell of Windows OpenSSH) limits command lines"


def test_digest_ignores_blank_lines_and_trailing_blanks_only():
    assert agent_digest("a\n\n  \nb  \n") == agent_digest("a\nb")
    assert agent_digest("a\nb") != agent_digest("a\n b")


def _replay(request_text: str, answer):
    lines = request_text.split("\n")
    return (json.dumps(answer(json.loads(lines[-1]))) + "\r\n").encode("ascii")


def test_runs_through_the_winrm_connection_plugin(invocation_reader_winrm):
    connection, captured = invocation_reader_winrm
    response = AgentClient(connection).run(small_batch())
    assert response["system"].ok
    # winrm must not re-encode the command: it runs PowerShell with our arguments as they are.
    assert captured["command"] == "PowerShell"
    assert captured["args"][-2] == "-EncodedCommand"


@pytest.fixture
def invocation_reader_winrm(windows_connection):
    connection = WinrmConnection(PlayContext())
    connection._connected = True
    captured = {}

    def winrm_exec(command, args=(), from_exec=False, stdin_iterator=None):
        stdin = b"".join(chunk for chunk, _ in stdin_iterator)
        captured.update(command=command, args=list(args))
        cmd = " ".join([command, *args])
        fake = windows_connection(answer_all_ok)
        return fake.exec_command(cmd, in_data=stdin, sudoable=False)

    connection._winrm_exec = winrm_exec
    return connection, captured


def test_runs_inside_the_psrp_runspace_with_stdin_lines_as_pipeline_input(windows_connection):
    connection = PsrpConnection(PlayContext())
    connection._connected = True
    connection._psrp_host = "host"
    seen = {}

    def psrp_script(script, input_data=None, use_local_scope=True, arguments=None):
        seen["script"] = script
        seen["input"] = input_data
        return 0, _replay("\n".join(input_data), answer_all_ok), b""

    connection._exec_psrp_script = psrp_script
    response = AgentClient(connection).run(small_batch())
    assert response["nasty"].ok
    assert seen["script"] == AgentScript.load().bootstrap
    assert seen["input"][0] == "# protocol: win-primitive-agent/1"
    assert seen["input"][-2] == "### win-primitive-agent request ###"


def test_runs_over_ssh_with_the_powershell_shell(tmp_path, windows_connection):
    connection = connection_loader.get("ssh", PlayContext(), None, shell=shell_loader.get("powershell"))
    connection.set_options(direct={"host": "winhost", "control_path_dir": str(tmp_path)})
    connection._connected = True
    seen = {}

    def run(cmd, in_data, sudoable=True, checkrc=True):
        seen["remote_command"] = cmd[-1].decode()
        fake = windows_connection(answer_all_ok)
        return fake.exec_command(cmd[-1].decode(), in_data=in_data, sudoable=False)

    connection._run = run
    response = AgentClient(connection).run(small_batch())
    assert response["system"].ok
    assert seen["remote_command"] == AgentScript.load().command()


def test_refuses_a_connection_without_a_windows_shell():
    connection = connection_loader.get("ssh", PlayContext(), None)
    with pytest.raises(AgentError, match="PowerShell shell"):
        AgentClient(connection)


def test_response_is_found_among_other_output(windows_connection):
    document = answer_all_ok(small_batch().to_request())
    noise = b"#< CLIXML\r\nWarning: profile\r\n{not json\r\n" + json.dumps(document).encode() + b"\r\ntrailing\r\n"
    response = AgentClient(windows_connection(stdout=noise)).run(small_batch())
    assert set(response.results) == {"system", "nasty"}
    assert find_response("nothing here") is None
    assert find_response('{"no": "protocol"}') is None


def test_a_response_spread_over_several_lines_is_accepted(windows_connection):
    document = answer_all_ok(small_batch().to_request())
    pretty = ("banner\r\n" + json.dumps(document, indent=2) + "\r\n").encode()
    response = AgentClient(windows_connection(stdout=pretty)).run(small_batch())
    assert set(response.results) == {"system", "nasty"}


def test_connection_failure_is_a_transport_error_keeping_the_cause(windows_connection):
    failure = AnsibleConnectionFailure("winrm connection error: read timed out")
    with pytest.raises(AgentTransportError) as raised:
        AgentClient(windows_connection(error=failure)).run(small_batch())
    assert raised.value.cause is failure
    assert "read timed out" in raised.value.message


def test_no_response_reports_exit_code_and_stderr(windows_connection):
    connection = windows_connection(rc=1, stdout=b"", stderr=b"'PowerShell' is not recognized as a command")
    with pytest.raises(AgentResponseError) as raised:
        AgentClient(connection).run(small_batch())
    assert raised.value.details["rc"] == 1
    assert "not recognized" in raised.value.details["stderr"]
    assert "exit code 1" in raised.value.message


def test_a_refused_request_is_a_request_error(windows_connection):
    refused = {
        "protocol": "win-primitive-agent/1",
        "ok": False,
        "agent": None,
        "results": [],
        "error": {"op": None, "kind": "agent_corrupt", "code": None, "message": "agent script on stdin is damaged"},
    }
    with pytest.raises(AgentRequestError) as raised:
        AgentClient(windows_connection(lambda request: refused)).run(small_batch())
    assert raised.value.kind == "agent_corrupt"
    assert "damaged" in raised.value.message


def test_a_response_missing_operations_is_rejected(windows_connection):
    def partial(request):
        document = answer_all_ok(request)
        document["results"] = document["results"][:1]
        return document

    with pytest.raises(AgentResponseError, match="answered 1 of 2") as raised:
        AgentClient(windows_connection(partial)).run(small_batch())
    assert raised.value.details["missing"] == ["nasty"]


def test_a_failed_operation_is_structured_and_does_not_fail_the_batch(windows_connection):
    def denied(request):
        document = answer_all_ok(request)
        document["results"][1] = {
            "id": "nasty",
            "op": "file.stat",
            "ok": False,
            "error": {"op": "file.stat", "kind": "access_denied", "code": 5, "message": "Access is denied.",
                      "exception": "System.UnauthorizedAccessException"},
        }
        return document

    response = AgentClient(windows_connection(denied)).run(small_batch())
    assert response["system"].ok
    assert response.failures() == [response["nasty"]]
    with pytest.raises(OperationFailed) as raised:
        response.value("nasty")
    assert (raised.value.kind, raised.value.code, raised.value.op_id) == ("access_denied", 5, "nasty")
    assert "file.stat: Access is denied. (access_denied, Win32 error 5)" in raised.value.message


def test_read_only_client_refuses_operations_that_can_write_before_connecting(windows_connection):
    connection = windows_connection(answer_all_ok)
    batch = small_batch()
    batch.add("file.delete", {"path": "C:\\x"}, op_id="delete")
    with pytest.raises(AgentError, match=r"file\.delete"):
        AgentClient(connection, read_only=True).run(batch)
    assert connection.invocations == []
    AgentClient(connection, read_only=True).run(small_batch())
    assert len(connection.invocations) == 1


def test_agent_script_must_carry_the_marker_and_stay_ascii():
    bootstrap = "$expectedDigest = 'AGENT_SHA256_PLACEHOLDER'"
    with pytest.raises(ValueError, match="protocol"):
        AgentScript.from_text("$x = 1\n", bootstrap)
    with pytest.raises(ValueError, match="ASCII"):
        AgentScript.from_text("# protocol: win-primitive-agent/1\n$x = '\u00e9'\n", bootstrap)
    with pytest.raises(ValueError, match="separator"):
        AgentScript.from_text("# protocol: win-primitive-agent/1\n### win-primitive-agent request ###\n", bootstrap)
