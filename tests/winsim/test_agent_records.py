"""registry.write, lock.acquire/release and state.read/write on a real Host through the real client."""

from __future__ import annotations

import json

import pytest
from agent_fixtures import AgentSession
from host_fixtures import new_host

from winsim.host import clock

KEY = r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Setup"
STATE_ROOT = r"C:\WINNT\Temp\win-primitive-agent"


@pytest.fixture
def host(tmp_path):
    return new_host(tmp_path / "host", "iis4-kb", "RECORDS-1")


@pytest.fixture
def session(host):
    return AgentSession(host)


def _error(result):
    assert not result.ok, result.value
    return result.error.kind, result.error.code


def test_registry_write_sets_once_and_reports_what_was_there(session, host):
    args = {"path": KEY, "name": "SourcePath", "type": "REG_SZ", "value": r"C:\InstPoint"}
    first = session.one("registry.write", args).value
    writes = host.counters["writes"]
    second = session.one("registry.write", args).value
    assert first == {"path": KEY, "name": "SourcePath", "changed": True,
                     "previous": {"type": "REG_SZ", "value": "D:\\"}}
    assert (second["changed"], second["previous"]) == (False, {"type": "REG_SZ", "value": r"C:\InstPoint"})
    assert host.counters["writes"] == writes
    assert host.registry.read(KEY, "SourcePath") == r"C:\InstPoint"


@pytest.mark.parametrize(("kind", "value", "stored"), [
    ("REG_EXPAND_SZ", r"%SystemRoot%\x", r"%SystemRoot%\x"), ("REG_MULTI_SZ", ["a", "b"], ["a", "b"]),
    ("REG_DWORD", 4294967295, 4294967295), ("REG_QWORD", 2 ** 63 - 1, 2 ** 63 - 1),
    ("REG_BINARY", "00FFab", b"\x00\xff\xab"),
])
def test_every_type_is_written_as_the_registry_stores_it(session, host, kind, value, stored):
    assert session.one("registry.write", {"path": r"HKLM\SOFTWARE\Test", "name": "v", "type": kind,
                                          "value": value}).value["changed"] is True
    assert host.registry.get_value(r"HKLM\SOFTWARE\Test", "v").data == stored
    again = session.one("registry.write", {"path": r"HKLM\SOFTWARE\Test", "name": "V", "type": kind,
                                           "value": value.lower() if kind == "REG_BINARY" else value}).value
    assert again["changed"] is False


def test_deleting_a_value_then_nothing_to_delete(session, host):
    args = {"path": KEY, "name": "ServicePackSourcePath", "state": "absent"}
    first, second = session.one("registry.write", args).value, session.one("registry.write", args).value
    assert (first["changed"], first["previous"]) == (True, {"type": "REG_SZ", "value": "D:\\"})
    assert (second["changed"], second["previous"]) == (False, None)
    assert session.one("registry.write", {"path": r"HKLM\SOFTWARE\NoSuchKey", "name": "x",
                                          "state": "absent"}).value["changed"] is False


@pytest.mark.parametrize(("args", "expected"), [
    ({"type": "REG_DWORD", "value": -1}, ("invalid_argument", 87)),
    ({"type": "REG_DWORD", "value": 2 ** 32}, ("invalid_argument", 87)),
    ({"type": "REG_DWORD", "value": "5"}, ("invalid_argument", 87)),
    ({"type": "REG_BINARY", "value": "abc"}, ("invalid_argument", 87)),
    ({"type": "REG_MULTI_SZ", "value": ["a", 1]}, ("invalid_argument", 87)),
    ({"type": "REG_NONE", "value": ""}, ("invalid_argument", 87)),
    ({"type": "REG_SZ"}, ("invalid_argument", 87)),
    ({"type": "REG_SZ", "value": "x", "state": "gone"}, ("invalid_argument", 87)),
    ({"type": "REG_SZ", "value": "x", "create_key": False}, ("not_found", 2)),
])
def test_registry_write_refusals(session, args, expected):
    assert _error(session.one("registry.write", {"path": r"HKLM\SOFTWARE\New\Key", "name": "x", **args})) == expected


def test_a_lock_is_taken_renewed_refused_to_others_and_released(session, host):
    taken = session.one("lock.acquire", {"name": "q197303", "owner": "ansible@ctl:run-1", "ttl_seconds": 600}).value
    renewed = session.one("lock.acquire", {"name": "Q197303", "owner": "ansible@ctl:run-1"}).value
    refused = session.one("lock.acquire", {"name": "q197303", "owner": "ansible@ctl:run-2"})
    not_theirs = session.one("lock.release", {"name": "q197303", "owner": "ansible@ctl:run-2"})
    released = session.one("lock.release", {"name": "q197303", "owner": "ansible@ctl:run-1"}).value
    nothing = session.one("lock.release", {"name": "q197303", "owner": "ansible@ctl:run-1"}).value
    assert (taken["changed"], taken["previous_owner"]) == (True, None)
    assert clock.from_iso(taken["expires"]) - clock.from_iso(taken["acquired"]) == 600
    assert (renewed["changed"], renewed["acquired"]) == (False, taken["acquired"])
    assert _error(refused) == ("lock_held", 33) and "ansible@ctl:run-1" in refused.error.message
    assert _error(not_theirs) == ("lock_held", 33)
    assert released == {"name": "q197303", "changed": True, "previous_owner": "ansible@ctl:run-1"}
    assert nothing == {"name": "q197303", "changed": False, "previous_owner": None}


def test_an_expired_lock_is_taken_over_and_a_force_release_needs_no_owner(session, host):
    with host.transaction():
        host.fs.make_dir(STATE_ROOT + r"\lock")
        host.fs.write_file(STATE_ROOT + r"\lock\q.lock", json.dumps(
            {"name": "q", "owner": "old", "acquired": "2000-01-01T00:00:00Z",
             "expires": "2000-01-01T01:00:00Z"}).encode())
    taken = session.one("lock.acquire", {"name": "q", "owner": "new"}).value
    forced = session.one("lock.release", {"name": "q", "owner": "someone", "force": True}).value
    assert (taken["changed"], taken["previous_owner"]) == (True, "old")
    assert (forced["changed"], forced["previous_owner"]) == (True, "new")


def test_a_lock_named_in_take_over_is_taken_at_once_and_only_that_one(session, host):
    session.one("lock.acquire", {"name": "q", "owner": "ansible:me@ctl run 41", "ttl_seconds": 900})
    wrong = session.one("lock.acquire", {"name": "q", "owner": "ansible:me@ctl run 42",
                                         "take_over": "ansible:me@ctl run 40"})
    taken = session.one("lock.acquire", {"name": "q", "owner": "ansible:me@ctl run 42",
                                         "take_over": "ansible:me@ctl run 41"}).value
    assert _error(wrong) == ("lock_held", 33)
    assert (taken["changed"], taken["previous_owner"], taken["owner"]) == (
        True, "ansible:me@ctl run 41", "ansible:me@ctl run 42")
    assert _error(session.one("lock.release", {"name": "q", "owner": "ansible:me@ctl run 41"})) == ("lock_held", 33)


def test_a_half_written_lock_counts_as_held_for_a_minute(session, host):
    with host.transaction():
        host.fs.make_dir(STATE_ROOT + r"\lock")
        host.fs.write_file(STATE_ROOT + r"\lock\q.lock", b'{"name": "q", "ow')
    assert _error(session.one("lock.acquire", {"name": "q", "owner": "me"})) == ("lock_held", 33)
    with host.transaction():
        host.fs.set_mtime(STATE_ROOT + r"\lock\q.lock", clock.now() - 120)
    assert session.one("lock.acquire", {"name": "q", "owner": "me"}).value["changed"] is True


@pytest.mark.parametrize(("op", "args", "expected"), [
    ("lock.acquire", {"name": "a b", "owner": "me"}, ("invalid_argument", 123)),
    ("lock.acquire", {"name": "CON", "owner": "me"}, ("invalid_argument", 123)),
    ("lock.acquire", {"name": ".hidden", "owner": "me"}, ("invalid_argument", 123)),
    ("lock.acquire", {"name": "x" * 65, "owner": "me"}, ("invalid_argument", 123)),
    ("lock.acquire", {"name": "ok", "owner": ""}, ("invalid_argument", 87)),
    ("lock.acquire", {"name": "ok", "owner": "me", "ttl_seconds": 0}, ("invalid_argument", 87)),
    ("state.write", {"name": "ok"}, ("invalid_argument", 87)),
    ("state.read", {"name": "../x"}, ("invalid_argument", 123)),
])
def test_record_argument_refusals(session, op, args, expected):
    assert _error(session.one(op, args)) == expected


def test_a_state_record_is_written_once_read_back_and_deleted(session, host):
    value = {"step": "overlay", "done": [1, 2.5, True, None, "x"], "Nested": {"a": "b"}}
    absent = session.one("state.read", {"name": "q197303"}).value
    written = session.one("state.write", {"name": "q197303", "value": value}).value
    writes = host.counters["writes"]
    same = session.one("state.write", {"name": "Q197303", "value": {"nested": {"A": "b"}, "step": "overlay",
                                                                     "done": [1, 2.5, True, None, "x"]}}).value
    read = session.one("state.read", {"name": "q197303"}).value
    assert absent == {"name": "q197303", "exists": False}
    assert written["changed"] is True and same == {"name": "Q197303", "changed": False,
                                                   "updated": written["updated"]}
    assert host.counters["writes"] == writes
    assert read == {"name": "q197303", "exists": True, "updated": written["updated"], "value": value}
    other = session.one("state.write", {"name": "q197303", "value": {**value, "done": [2.5, 1, True, None, "x"]}})
    assert other.value["changed"] is True
    deleted = session.one("state.write", {"name": "q197303", "delete": True}).value
    assert (deleted["changed"], deleted["updated"]) == (True, None)
    assert session.one("state.write", {"name": "q197303", "delete": True}).value["changed"] is False


def test_reading_state_never_creates_the_state_root(session, host):
    writes = host.counters["writes"]
    session.one("state.read", {"name": "anything"})
    session.one("process.poll", {"pid": 8})
    assert not host.fs.exists(STATE_ROOT) and host.counters["writes"] == writes


def test_a_file_that_is_not_a_record_and_a_record_too_big(session, host):
    with host.transaction():
        host.fs.make_dir(STATE_ROOT + r"\state")
        host.fs.write_file(STATE_ROOT + r"\state\bad.json", b"[1, 2]")
    assert _error(session.one("state.read", {"name": "bad"})) == ("os_error", 13)
    assert session.one("state.write", {"name": "bad", "value": 1}).value["changed"] is True  # replaced
    assert _error(session.one("state.write", {"name": "big", "value": "x" * 70000})) == ("limit_exceeded", None)
