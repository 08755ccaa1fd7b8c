"""Requests as data: request-level refusals, per-operation errors, and value expressions ($ref, $expand,
$join, $dirname), answered by a real Host through Ansible's winrm plugin."""

from __future__ import annotations

import json

import pytest
from agent_fixtures import AgentBatch, AgentSession, dirname, expand, join, ref
from host_fixtures import new_host

PROTOCOL = "win-primitive-agent/1"
INETSTP = r"HKLM\SOFTWARE\Microsoft\InetStp"


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    host = new_host(tmp_path_factory.mktemp("agent") / "host", "iis4-default", "REQ-1", iis_path=r"D:\Inetsrv")
    return AgentSession(host)


@pytest.mark.parametrize(("line", "kind", "code"), [
    ("this is not json", "invalid_request", 13),
    ("", "invalid_request", 13),
    ('{"protocol": "win-primitive-agent/1", "operations": [] } trailing', "invalid_request", 13),
    ('[{"protocol": "win-primitive-agent/1"}]', "invalid_request", 13),
    ('{"operations": []}', "unsupported_protocol", 50),
    ('{"protocol": "win-primitive-agent/2", "operations": []}', "unsupported_protocol", 50),
    ('{"protocol": "WIN-PRIMITIVE-AGENT/1", "operations": []}', "unsupported_protocol", 50),
    ('{"protocol": "win-primitive-agent/1", "operations": {}}', "invalid_request", 13),
    ('{"protocol": "win-primitive-agent/1", "operations": [NaN]}', "invalid_request", 13),
])
def test_requests_that_cannot_be_run_are_refused_whole(session, line, kind, code):
    response = session.raw_request(line)
    assert (response["ok"], response["results"]) == (False, [])
    assert {k: response["error"][k] for k in ("op", "kind", "code")} == {"op": None, "kind": kind, "code": code}
    assert response["agent"]["name"] == "win-primitive-agent"


def test_an_empty_batch_is_answered(session):
    assert session.request([])["ok"] is True


def _error(result: dict) -> tuple:
    assert result["ok"] is False, result
    return result["error"]["kind"], result["error"]["code"]


@pytest.mark.parametrize(("operation", "kind", "code"), [
    ("not an object", "invalid_argument", 87),
    ({"op": "system.info"}, "invalid_argument", 87),
    ({"id": "has space", "op": "system.info"}, "invalid_argument", 87),
    ({"id": "x" * 129, "op": "system.info"}, "invalid_argument", 87),
    ({"id": "a", "op": "system.reboot"}, "unknown_operation", 50),
    ({"id": "a", "op": 7}, "unknown_operation", 50),
    ({"id": "a", "op": "system.info", "args": []}, "invalid_argument", 87),
    ({"id": "a", "op": "system.info", "args": {"env": "windir"}}, "invalid_argument", 87),
    ({"id": "a", "op": "registry.read", "args": {}}, "invalid_argument", 87),
    ({"id": "a", "op": "file.stat", "args": {"path": "C:\\x", "sha256": "yes"}}, "invalid_argument", 87),
    ({"id": "a", "op": "event.query", "args": {"log": "System", "newest": 0}}, "invalid_argument", 87),
    ({"id": "a", "op": "event.query", "args": {"log": "System", "newest": 5.0}}, "invalid_argument", 87),
    ({"id": "a", "op": "event.query", "args": {"log": "System", "newest": True}}, "invalid_argument", 87),
    ({"id": "a", "op": "event.query", "args": {"log": "System", "newest": 2 ** 64}}, "invalid_argument", 87),
    ({"id": "a", "op": "event.query", "args": {"log": "System", "since": "2024-01-31 23:59:00"}},
     "invalid_argument", 87),
])
def test_a_bad_operation_fails_alone_and_the_batch_goes_on(session, operation, kind, code):
    response = session.request([operation, {"id": "after", "op": "system.info"}])
    bad, after = response["results"]
    assert _error(bad) == (kind, code)
    assert after["ok"] is True


def test_result_entries_echo_ids_and_names_only_when_they_are_strings(session):
    bad, = session.request([{"id": 5, "op": ["x"]}])["results"]
    assert (bad["id"], bad["op"], bad["error"]["op"]) == (None, None, None)


def test_a_duplicate_id_fails_and_the_first_stays_the_one_referred_to(session):
    response = session.request([
        {"id": "a", "op": "registry.read", "args": {"path": INETSTP}},
        {"id": "a", "op": "system.info"},
        {"id": "b", "op": "file.stat", "args": {"path": {"$ref": "a", "pointer": "/values/InstallPath/value"}}},
    ])
    first, duplicate, stat = response["results"]
    assert first["ok"] and _error(duplicate) == ("invalid_argument", 87)
    assert stat["value"]["path"] == r"D:\Inetsrv"


def test_argument_names_and_expression_keys_match_ignoring_case(session):
    result, = session.request([{"id": "a", "op": "registry.read",
                                "ARGS": {"PATH": {"$JOIN": ["HKLM\\SOFTWARE", "Microsoft", "InetStp"]},
                                         "Values": ["installpath"]}}])["results"]
    assert result["value"]["values"] == {"installpath": {"type": "REG_SZ", "value": r"D:\Inetsrv"}}


def test_a_ref_reads_an_earlier_result_through_a_json_pointer(session):
    batch = AgentBatch()
    batch.registry_read(INETSTP, op_id="inetstp")
    batch.file_stat(join(ref("inetstp", "values", "InstallPath", "value"), "inetinfo.exe"), pe=True, op_id="exe")
    batch.file_stat(dirname(ref("exe", "path")), op_id="folder")
    batch.service_query(ref("no_such_id", "subkeys", 0), op_id="unknown_ref")
    response = session.run(batch)
    assert response.value("exe")["path"] == r"D:\Inetsrv\inetinfo.exe"
    assert response.value("exe")["pe"]["machine_name"] == "i386"
    assert (response.value("folder")["path"], response.value("folder")["type"]) == (r"D:\Inetsrv", "directory")
    assert (response["unknown_ref"].error.kind, response["unknown_ref"].error.code) == ("invalid_argument", 87)
    assert _error(session.request([{"id": "x", "op": "service.query",
                                    "args": {"name": {"$ref": "later"}}},
                                   {"id": "later", "op": "system.info"}])["results"][0]) == ("invalid_argument", 87)


@pytest.mark.parametrize("pointer", ["/values/Missing/value", "/values/InstallPath/value/deeper", "/nothing",
                                     "/subkeys/0"])
def test_a_ref_to_something_absent_is_unresolved_not_a_failure_of_the_host(session, pointer):
    response = session.request([
        {"id": "a", "op": "registry.read", "args": {"path": INETSTP, "values": ["InstallPath", "Missing"]}},
        {"id": "b", "op": "file.stat", "args": {"path": {"$ref": "a", "pointer": pointer}}},
    ])
    assert _error(response["results"][1]) == ("unresolved_reference", None)


def test_a_ref_to_a_failed_operation_or_a_non_string_is_unresolved(session):
    response = session.request([
        {"id": "bad", "op": "registry.read", "args": {"path": "HKLM"}},
        {"id": "a", "op": "file.stat", "args": {"path": {"$ref": "bad", "pointer": "/path"}}},
        {"id": "sys", "op": "system.info"},
        {"id": "b", "op": "file.stat", "args": {"path": {"$expand": {"$ref": "sys", "pointer": "/os/major"}}}},
    ])
    assert [_error(r) for r in response["results"][1::2]] == [("unresolved_reference", None)] * 2


@pytest.mark.parametrize("expression", [{"$ref": 1}, {"$ref": "a", "pointer": "values"}, {"$ref": "a", "pointer": 3},
                                        {"$join": "C:\\x"}])
def test_malformed_expressions_are_invalid_arguments(session, expression):
    response = session.request([{"id": "a", "op": "system.info"},
                                {"id": "b", "op": "file.stat", "args": {"path": expression}}])
    assert _error(response["results"][1]) == ("invalid_argument", 87)


def test_pointer_tokens_are_unescaped_and_list_indices_decimal(session):
    response = session.request([
        {"id": "a", "op": "system.info", "args": {"env": ["a/b~c", "windir"]}},
        {"id": "b", "op": "file.stat", "args": {"path": {"$ref": "a", "pointer": "/env/windir"}}},
        {"id": "c", "op": "file.stat", "args": {"path": {"$ref": "a", "pointer": "/env/a~1b~0c"}}},
        {"id": "d", "op": "registry.read", "args": {"path": "HKLM\\SOFTWARE\\Microsoft", "subkeys": True}},
        {"id": "e", "op": "system.info", "args": {"env": [{"$ref": "d", "pointer": "/subkeys/0"}]}},
    ])
    b, c, _, e = response["results"][1:]
    assert b["value"]["path"] == r"C:\WINNT"
    assert _error(c) == ("unresolved_reference", None)  # the variable is unset: its value is null
    assert _error(e) == ("invalid_argument", 87)  # only an argument's own value is an expression


def test_expand_join_and_dirname_work_on_the_host(session):
    batch = AgentBatch()
    batch.file_stat(expand("%SystemRoot%\\System32\\inetsrv"), op_id="expanded")
    batch.file_stat(expand("%NO_SUCH_VARIABLE%\\x"), op_id="unknown_variable")
    batch.file_stat(join("C:\\", "", "\\Inetpub\\", "/Mailroot/"), op_id="joined")
    batch.file_stat(join("", "D:\\Inetsrv\\", "\\inetinfo.exe"), op_id="first_empty")
    batch.file_stat(dirname("C:\\Inetpub"), op_id="root")
    batch.file_stat(dirname("C:\\Inetpub/Mailroot/"), op_id="parent")
    batch.file_stat(dirname("Inetpub"), op_id="no_parent")
    response = session.run(batch)
    assert response.value("expanded")["path"] == r"C:\WINNT\System32\inetsrv"
    assert response["unknown_variable"].error.code == 161  # %NO_SUCH_VARIABLE% stays as written: relative
    assert response.value("joined")["path"] == r"C:\Inetpub\Mailroot"
    assert response.value("first_empty")["path"] == r"D:\Inetsrv\inetinfo.exe"
    assert response.value("root")["path"] == "C:\\"
    assert response.value("parent")["path"] == r"C:\Inetpub"
    assert response["no_parent"].unresolved


def _nested(levels: int) -> dict:
    value: object = "C:\\Inetpub"
    for _ in range(levels):
        value = {"$join": [value]}
    return value


def test_expressions_nest_sixteen_levels_deep_and_no_deeper(session):
    response = session.request([{"id": "ok", "op": "file.stat", "args": {"path": _nested(16)}},
                                {"id": "deep", "op": "file.stat", "args": {"path": _nested(17)}}])
    ok, deep = response["results"]
    assert ok["value"]["path"] == "C:\\Inetpub"
    assert _error(deep) == ("invalid_argument", 87)


def test_the_request_may_be_spread_over_lines_and_carry_unknown_members(session):
    line = json.dumps({"protocol": PROTOCOL, "extra": {"ignored": True},
                       "operations": [{"id": "a", "op": "system.info", "note": "ignored"}]}, indent=2)
    response = session.raw_request(line)
    assert response["ok"] is True and response["results"][0]["ok"] is True
