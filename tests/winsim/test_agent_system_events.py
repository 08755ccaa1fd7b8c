"""system.info and event.query, as the agent reports them from the host model."""

from __future__ import annotations

import datetime
import time

import pytest
from agent_fixtures import AgentBatch, AgentSession
from host_fixtures import new_host

from winsim.host import clock
from winsim.host.eventlog import EventType


@pytest.fixture(scope="module")
def host(tmp_path_factory):
    return new_host(tmp_path_factory.mktemp("agent") / "host", "iis4-default", "EVENTS-1", iis_path=r"D:\Inetsrv")


@pytest.fixture
def session(host):
    return AgentSession(host)


def test_system_info_on_nt4_x86(session):
    value = session.one("system.info", {"env": ["windir", "PATHEXT", "UNSET_VARIABLE", "computername"]}).value
    assert value["computer_name"] == "EVENTS-1" and value["user"] == r"EVENTS-1\Administrator"
    assert value["elevated"] is True
    assert value["os"] == {"platform": "Win32NT", "version": "4.0.1381.393216", "major": 4, "minor": 0,
                           "build": 1381, "service_pack": "Service Pack 6"}
    assert value["architecture"] == {"process": "x86", "wow64": None, "native": "x86", "pointer_bits": 32}
    assert value["system_directory"] == r"C:\WINNT\system32"
    assert value["env"] == {"windir": r"C:\WINNT", "PATHEXT": ".COM;.EXE;.BAT;.CMD", "UNSET_VARIABLE": None,
                            "computername": "EVENTS-1"}
    reported = datetime.datetime.strptime(value["time_utc"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.UTC)
    assert abs(reported.timestamp() - time.time()) < 3600


@pytest.mark.parametrize(("overrides", "architecture", "os_version", "system_directory"), [
    ({"arch": "alpha"}, {"process": "ALPHA", "wow64": None, "native": "ALPHA", "pointer_bits": 32},
     "4.0.1381.393216", r"C:\WINNT\system32"),
    ({"arch": "amd64", "os_version": "5.2"}, {"process": "AMD64", "wow64": None, "native": "AMD64",
                                              "pointer_bits": 64}, "5.2.3790.131072", r"C:\WINDOWS\system32"),
])
def test_system_info_on_other_platforms(tmp_path, overrides, architecture, os_version, system_directory):
    host = new_host(tmp_path / "host", "no-iis", "OTHER-1", **overrides)
    value = AgentSession(host).one("system.info").value
    assert value["architecture"] == architecture
    assert value["os"]["version"] == os_version
    assert value["system_directory"] == system_directory


def test_the_boot_failures_of_smtp_and_nntp_as_the_event_log_holds_them(session):
    value = session.one("event.query", {"log": "system", "sources": ["service control manager"],
                                        "event_ids": [7023]}).value
    assert (value["log"], value["exists"], value["complete"]) == ("system", True, True)
    assert len(value["events"]) == 2
    newest = value["events"][0]
    assert newest["record"] > value["events"][1]["record"]
    assert {k: newest[k] for k in ("source", "event_id", "instance_id", "type", "insertion_strings")} == {
        "source": "Service Control Manager", "event_id": 7023, "instance_id": 0xC0001B6F, "type": "error",
        "insertion_strings": ["", "The system can not find the file specified."]}
    assert newest["message"] == 'The "" service terminated with the following error: The system can not find ' \
                                "the file specified."


def test_event_log_service_events_carry_its_own_qualifiers(session):
    (started,) = session.one("event.query", {"log": "System", "event_ids": [6005], "newest": 1}).value["events"]
    assert (started["instance_id"], started["type"], started["source"]) == (0x80001775, "information", "EventLog")


def test_newest_message_and_max_scan(session, host):
    everything = session.one("event.query", {"log": "System", "message": False}).value
    assert everything["scanned"] == len(host.eventlog.read("System"))
    assert all(e["message"] is None for e in everything["events"])
    two = session.one("event.query", {"log": "System", "newest": 2}).value
    assert [e["record"] for e in two["events"]] == [e["record"] for e in everything["events"][:2]]
    assert (two["scanned"], two["complete"]) == (2, True)
    cut = session.one("event.query", {"log": "System", "event_ids": [6009], "max_scan": 3}).value
    assert (cut["events"], cut["scanned"], cut["complete"]) == ([], 3, False)


def test_since_stops_at_the_first_older_entry(session, host, monkeypatch):
    now = time.time()
    with host.transaction():
        monkeypatch.setattr(clock, "now", lambda: now - 7200)
        host.eventlog.write("Application", "Old App", 1, EventType.WARNING, "two hours ago")
        monkeypatch.setattr(clock, "now", lambda: now)
        host.eventlog.write("Application", "New App", 2, EventType.INFORMATION, "now")
    since = datetime.datetime.fromtimestamp(now - 3600, datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    value = session.one("event.query", {"log": "Application", "since": since}).value
    assert [e["source"] for e in value["events"]] == ["New App"]
    assert (value["scanned"], value["complete"]) == (2, True)
    assert value["events"][0]["type"] == "information"


def test_a_log_that_does_not_exist_is_an_answer(session):
    assert session.one("event.query", {"log": "Windows PowerShell"}).value == {"log": "Windows PowerShell",
                                                                              "exists": False}


def test_a_whole_audit_is_one_round_trip(session, host):
    commands = host.counters["commands"]
    batch = AgentBatch()
    batch.system_info(env=["windir"])
    batch.registry_read(r"HKLM\SOFTWARE\Microsoft\InetStp")
    batch.service_query("SMTPSVC")
    batch.service_query("NNTPSVC")
    batch.event_query("System", event_ids=[7000, 7023])
    batch.file_tree(r"C:\Inetpub\nntpfile")
    assert not session.run(batch).failures()
    assert host.counters["commands"] == commands + 1
