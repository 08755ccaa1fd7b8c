"""System.Diagnostics on a winsim host: EventLog entries, Process and ProcessStartInfo over detached programs,
FileVersionInfo from PE version resources, and file times as DateTime."""

from __future__ import annotations

import pytest

from tests.winsim.powershell.clr_host import call, enum, make_runtime, new, prop, raises, static
from winsim.host import pe
from winsim.host.eventlog import EventType
from winsim.powershell.clr.library.host import interop
from winsim.powershell.clr.values import Int64


@pytest.fixture
def rt(tmp_path):
    runtime = make_runtime(tmp_path, "iis4-kb")
    runtime.host.boot()
    return runtime


def test_event_log_entries_oldest_first_with_ids_and_strings(rt):
    assert static(rt, "System.Diagnostics.EventLog", "Exists", "system") is True
    assert static(rt, "System.Diagnostics.EventLog", "Exists", "Nope") is False
    entries = prop(rt, new(rt, "System.Diagnostics.EventLog", "System"), "Entries")
    count = prop(rt, entries, "Count")
    records = rt.host.eventlog.read("System")
    assert count == len(records) > 0
    newest = call(rt, entries, "get_Item", count - 1)
    assert prop(rt, newest, "Index") == records[-1].record_number
    failures = [e for e in entries if prop(rt, e, "EventID") == 7023]
    assert failures, "SMTP and NNTP failed at boot (KB Q197303)"
    failure = failures[0]
    assert prop(rt, failure, "InstanceId") == 0xC0001B6F  # the SCM's error severity in the qualifiers
    assert str(prop(rt, failure, "EntryType")) == "Error"
    assert prop(rt, failure, "Source") == "Service Control Manager"
    assert list(prop(rt, failure, "ReplacementStrings"))[1] == "The system can not find the file specified."
    assert prop(rt, failure, "Message").startswith('The "" service terminated')
    generated = prop(rt, failure, "TimeGenerated")
    assert abs(interop.posix_seconds(rt, generated) - records[[r.event_id for r in records].index(7023)]
               .time_generated) < 1e-6
    with raises("System.ArgumentException", f"Index {count} is out of bounds."):
        call(rt, entries, "get_Item", count)
    with raises("System.InvalidOperationException", "The event log 'Nope' on computer '.' does not exist."):
        prop(rt, new(rt, "System.Diagnostics.EventLog", "Nope"), "Entries")


def test_event_log_sees_new_events(rt):
    entries = prop(rt, new(rt, "System.Diagnostics.EventLog", "Application"), "Entries")
    before = prop(rt, entries, "Count")
    rt.host.eventlog.write("Application", "Test", 1, EventType.WARNING, "hello", ["x"])
    assert prop(rt, entries, "Count") == before + 1
    entry = call(rt, entries, "get_Item", before)
    assert (prop(rt, entry, "EventID"), str(prop(rt, entry, "EntryType")), prop(rt, entry, "Message")) == (
        1, "Warning", "hello")


def test_process_start_wait_and_exit_code(rt):
    info = new(rt, "System.Diagnostics.ProcessStartInfo")
    call_set = interop.clr("System.Diagnostics.ProcessStartInfo").find_property
    call_set("FileName", static=False).setter(info, rt, "C:\\WINNT\\system32\\hostname.exe")
    call_set("UseShellExecute", static=False).setter(info, rt, False)
    process = static(rt, "System.Diagnostics.Process", "Start", info)
    assert call(rt, process, "WaitForExit", 10000) is True
    assert prop(rt, process, "HasExited") is True and prop(rt, process, "ExitCode") == 0
    assert prop(rt, process, "ProcessName") == "hostname"
    assert interop.posix_seconds(rt, prop(rt, process, "StartTime")) > 0
    with raises("System.ArgumentException", f"Process with an Id of {prop(rt, process, 'Id')} is not running."):
        static(rt, "System.Diagnostics.Process", "GetProcessById", prop(rt, process, "Id"))
    service_host = static(rt, "System.Diagnostics.Process", "GetProcessById", 112)
    assert prop(rt, service_host, "HasExited") is False and prop(rt, service_host, "ProcessName") == "inetinfo"


def test_process_start_failures_are_win32_exceptions(rt):
    with raises("System.ComponentModel.Win32Exception", "The system cannot find the file specified.") as info:
        static(rt, "System.Diagnostics.Process", "Start", "C:\\nope.exe")
    assert interop.get(rt, info.value, "NativeErrorCode") == 2
    with raises("System.InvalidOperationException", "Cannot start process because a file name has not been "
                "provided."):
        static(rt, "System.Diagnostics.Process", "Start", new(rt, "System.Diagnostics.ProcessStartInfo"))


def test_file_version_info(rt):
    rt.host.fs.make_dir("C:\\bin")
    rt.host.fs.write_file("C:\\bin\\v.dll", pe.build_pe(pe.MACHINE_I386, 4096, dll=True, file_version="5.0.2195.1"))
    info = static(rt, "System.Diagnostics.FileVersionInfo", "GetVersionInfo", "C:\\bin\\v.dll")
    assert prop(rt, info, "FileVersion") == "5.0.2195.1" and prop(rt, info, "FileBuildPart") == 2195
    rt.host.fs.write_file("C:\\bin\\plain.txt", b"text")
    plain = static(rt, "System.Diagnostics.FileVersionInfo", "GetVersionInfo", "C:\\bin\\plain.txt")
    assert prop(rt, plain, "FileVersion") is None
    with raises("System.IO.FileNotFoundException", "C:\\bin\\none.dll"):
        static(rt, "System.Diagnostics.FileVersionInfo", "GetVersionInfo", "C:\\bin\\none.dll")


def test_file_times_are_utc_datetimes(rt):
    rt.host.fs.make_dir("C:\\t")
    rt.host.fs.write_file("C:\\t\\f", b"x", mtime=1_000_000_000.5)
    stamp = static(rt, "System.IO.File", "GetLastWriteTimeUtc", "C:\\t\\f")
    assert str(prop(rt, stamp, "Kind")) == "Utc" and interop.posix_seconds(rt, stamp) == 1_000_000_000.5
    missing = static(rt, "System.IO.File", "GetLastWriteTimeUtc", "C:\\t\\none")
    assert prop(rt, missing, "Year") == 1601
    moment = new(rt, "System.DateTime", 2020, 1, 2, 3, 4, 5, enum("System.DateTimeKind", "Utc"))
    static(rt, "System.IO.File", "SetLastWriteTimeUtc", "C:\\t\\f", moment)
    assert rt.host.fs.stat("C:\\t\\f").mtime == 1577934245.0
    info = new(rt, "System.IO.FileInfo", "C:\\t\\f")
    assert prop(rt, prop(rt, info, "LastWriteTimeUtc"), "Ticks") == Int64(prop(rt, moment, "Ticks"))
    rt.host.fs.set_attributes("C:\\t\\f", 1)
    with raises("System.UnauthorizedAccessException", "Access to the path 'C:\\t\\f' is denied."):
        static(rt, "System.IO.File", "SetLastWriteTimeUtc", "C:\\t\\f", moment)
    with raises("System.IO.FileNotFoundException", "Could not find file 'C:\\t\\none'."):
        static(rt, "System.IO.File", "SetLastWriteTimeUtc", "C:\\t\\none", moment)


def test_redirecting_streams_needs_use_shell_execute_off(rt):
    info = new(rt, "System.Diagnostics.ProcessStartInfo", "C:\\WINNT\\system32\\hostname.exe")
    properties = interop.clr("System.Diagnostics.ProcessStartInfo")
    properties.find_property("RedirectStandardOutput", static=False).setter(info, rt, True)
    with raises("System.InvalidOperationException", "The Process object must have the UseShellExecute property "
                "set to false in order to redirect IO streams."):
        static(rt, "System.Diagnostics.Process", "Start", info)


def test_writing_entries_registers_the_source_in_the_application_log(rt):
    E = "System.Diagnostics.EventLog"
    assert static(rt, E, "SourceExists", "MyScript") is False
    warning = enum("System.Diagnostics.EventLogEntryType", "Warning")
    static(rt, E, "WriteEntry", "MyScript", "disk almost full", warning, 42)
    record = rt.host.eventlog.read("Application", source="MyScript")[-1]
    assert (record.event_id, record.event_type, record.message) == (42, "Warning", "disk almost full")
    assert static(rt, E, "SourceExists", "MyScript") is True
    assert rt.host.registry.key_exists(
        "HKLM\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\MyScript")
    with raises("System.ArgumentException", "Source MyScript already exists on the local computer."):
        static(rt, E, "CreateEventSource", "MyScript", "System")
    log = new(rt, E, "System")
    with raises("System.ArgumentException", "Source property was not set before writing to the event log."):
        call(rt, log, "WriteEntry", "x")
    interop.clr(E).find_property("Source", static=False).setter(log, rt, "Service Control Manager")
    call(rt, log, "WriteEntry", "hello")
    assert rt.host.eventlog.read("System")[-1].message == "hello"
