"""Defects of the real agent (plugins/plugin_utils/agent*.ps1) that running it on winsim's PowerShell interpreter
exposed, each pinned by the behaviour docs/agent-protocol.md asks for. Every test runs the agent itself (the
joined script, request on $input) and fails with the agent as it was before the fix.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import agent_fixtures  # noqa: F401 - makes the collection importable
from host_fixtures import new_host

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils import agent_client
from winsim.powershell.engine import Engine, make_runtime, to_string

PROTOCOL = "win-primitive-agent/1"


@pytest.fixture(scope="module")
def agent_source() -> str:
    return agent_client.agent_source()


@pytest.fixture
def host(tmp_path):
    return new_host(tmp_path, "iis4-kb")


def run_agent(host, agent_source: str, *operations) -> list[dict]:
    """The result entries the interpreted agent answers for these operations."""
    text = json.dumps({"protocol": PROTOCOL, "operations": list(operations)})
    result = Engine(make_runtime(host, version=(2, 0))).run(agent_source, input_lines=[text])
    assert result.terminating is None, result.terminating.message
    assert len(result.output) == 1, [to_string(o) for o in result.output]
    response = json.loads(result.output[0])
    assert response["ok"] is True, response["error"]
    return response["results"]


def error_of(entry: dict) -> tuple:
    assert entry["ok"] is False, entry
    error = entry["error"]
    return error["op"], error["kind"], error["code"], error["message"]


# -- protocol 3: id and op echo the request only when they are strings; error.op is a string or null ----------

@pytest.mark.parametrize("op", [5, True, ["file.stat"], {"x": 1}])
def test_an_operation_name_that_is_not_a_string_is_echoed_as_null(host, agent_source, op):
    entry, = run_agent(host, agent_source, {"id": "a", "op": op})
    assert entry["id"] == "a" and entry["op"] is None
    assert error_of(entry)[:3] == (None, "unknown_operation", 50)


@pytest.mark.parametrize("op_id", [7, False, ["a"]])
def test_an_id_that_is_not_a_string_is_echoed_as_null(host, agent_source, op_id):
    entry, = run_agent(host, agent_source, {"id": op_id, "op": "system.info"})
    assert (entry["id"], entry["op"]) == (None, "system.info")
    assert error_of(entry)[:3] == ("system.info", "invalid_argument", 87)


# -- protocol 2.1: expressions nest at most 16 levels ---------------------------------------------------------

def nested(levels: int) -> object:
    value: object = "C:\\Inetsrv\\a\\b\\c\\d\\e\\f\\g\\h\\i\\j\\k\\l\\m\\n\\o\\p\\q\\r"
    for _ in range(levels):
        value = {"$dirname": value}
    return value


def test_expressions_nest_sixteen_levels_and_the_seventeenth_is_refused(host, agent_source):
    ok, deep = run_agent(host, agent_source, {"id": "ok", "op": "file.stat", "args": {"path": nested(16)}},
                         {"id": "deep", "op": "file.stat", "args": {"path": nested(17)}})
    assert ok["value"]["path"] == "C:\\Inetsrv\\a\\b"
    assert error_of(deep) == ("file.stat", "invalid_argument", 87, "expressions are nested more than 16 levels deep")


# -- protocol 4: a path .NET refuses is invalid_argument in every operation, not a missing file ----------------

LONG_PATH = "C:\\" + "\\".join(["d" * 40] * 7)  # 289 characters
REFUSED_PATHS = [
    ("C:\\a<b>|c", 87, "System.ArgumentException", "Illegal characters in path."),
    ("C:\\x'; Remove-Item -Recurse C:\\ #", 87, "System.NotSupportedException",
     "The given path's format is not supported."),
    (LONG_PATH, 206, "System.IO.PathTooLongException", "The specified path, file name, or both are too long. The "
     "fully qualified file name must be less than 260 characters, and the directory name must be less than 248 "
     "characters."),
]


@pytest.mark.parametrize(("path", "code", "exception", "message"), REFUSED_PATHS)
def test_operations_that_only_test_existence_refuse_paths_dotnet_refuses(host, agent_source, path, code, exception,
                                                                          message):
    operations = [("file.tree", {"path": path}), ("file.delete", {"path": path, "must_exist": True}),
                  ("file.copy", {"src": path, "dest": "C:\\WINNT\\Temp\\copy.txt"}),
                  ("process.start", {"executable": path}),
                  ("process.start", {"executable": "C:\\WINNT\\system32\\hostname.exe", "working_directory": path})]
    entries = run_agent(host, agent_source, *({"id": f"o{n}", "op": op, "args": args}
                                              for n, (op, args) in enumerate(operations)))
    for (op, _), entry in zip(operations, entries, strict=True):
        assert error_of(entry) == (op, "invalid_argument", code, message)
        assert entry["error"]["exception"] == exception


# -- protocol 6.5: a share that is not there is not_found (3), as a missing drive is ----------------------------

@pytest.mark.parametrize("path", ["\\\\server\\share\\new", "\\\\server\\share\\a\\b"])
def test_creating_a_directory_on_a_missing_share_is_not_found(host, agent_source, path):
    root = "\\\\server\\share"
    entry, = run_agent(host, agent_source, {"id": "a", "op": "dir.create", "args": {"path": path}})
    assert error_of(entry) == ("dir.create", "not_found", 3, f"Could not find a part of the path '{root}'.")


def test_writing_below_a_missing_share_is_not_found(host, agent_source):
    entry, = run_agent(host, agent_source, {"id": "a", "op": "file.write",
                                            "args": {"path": "\\\\server\\share\\sub\\f.txt", "content": ""}})
    assert error_of(entry) == ("file.write", "not_found", 3, "Could not find a part of the path '\\\\server\\share'.")


# -- the script must parse: "$offset:" in a double-quoted string is a drive-qualified variable with no name ----

def test_a_chunk_beyond_the_end_of_the_file_is_refused_with_its_message(host, agent_source):
    host.fs.write_file("C:\\WINNT\\Temp\\chunk.bin", b"abc")
    chunk = {"path": "C:\\WINNT\\Temp\\chunk.bin", "content": "", "offset": 10}
    entry, = run_agent(host, agent_source, {"id": "a", "op": "file.write", "args": chunk})
    assert error_of(entry) == ("file.write", "invalid_argument", 87,
                               "the file holds 3 bytes, fewer than offset 10: an earlier chunk is missing")
