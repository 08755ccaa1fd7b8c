"""What a script can learn about the machine through the host-backed types: drives (DriveInfo, logical drives,
Win32_LogicalDisk), processes and drivers, WMI's operating system and computer classes, temporary files."""

from __future__ import annotations

import pytest

from tests.winsim.powershell.clr_host import call, make_runtime, new, prop, raises, static
from winsim.powershell.clr.values import UInt64


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    runtime = make_runtime(tmp_path_factory.mktemp("machine"), "iis4-kb")
    runtime.host.boot()
    return runtime


def query(rt, wql):
    return list(call(rt, new(rt, "System.Management.ManagementObjectSearcher", wql), "Get"))


def test_drive_info_reports_the_host_drives(rt):
    drive = rt.host.fs.drive("C")
    info = new(rt, "System.IO.DriveInfo", "c")
    assert prop(rt, info, "Name") == "C:\\" and str(prop(rt, info, "DriveType")) == "Fixed"
    assert prop(rt, info, "TotalSize") == drive.total_bytes
    assert prop(rt, info, "AvailableFreeSpace") == drive.free_bytes
    assert prop(rt, info, "DriveFormat") == drive.filesystem
    names = [prop(rt, d, "Name") for d in static(rt, "System.IO.DriveInfo", "GetDrives")]
    assert names == list(static(rt, "System.Environment", "GetLogicalDrives"))
    missing = new(rt, "System.IO.DriveInfo", "Q:\\")
    assert prop(rt, missing, "IsReady") is False and str(prop(rt, missing, "DriveType")) == "NoRootDirectory"
    with raises("System.IO.DriveNotFoundException", "Could not find the drive 'Q:\\'. The drive might not be "
                "ready or might not be mapped."):
        prop(rt, missing, "TotalSize")
    with raises("System.ArgumentException"):
        new(rt, "System.IO.DriveInfo", "C:\\x")


def test_wmi_logical_disks_operating_system_and_computer(rt):
    disk = query(rt, "SELECT * FROM Win32_LogicalDisk WHERE DeviceID = 'C:'")[0]
    assert isinstance(disk["FreeSpace"], UInt64) and disk["FreeSpace"] == rt.host.fs.drive("C").free_bytes
    os = query(rt, "SELECT Version, CSDVersion, ServicePackMajorVersion FROM Win32_OperatingSystem")[0]
    assert (os["Version"], os["CSDVersion"], os["ServicePackMajorVersion"]) == ("4.0.1381", "Service Pack 6", 6)
    computer = query(rt, "SELECT Name, SystemType FROM Win32_ComputerSystem")[0]
    assert (computer["Name"], computer["SystemType"]) == ("TESTHOST", "X86-based PC")


def test_processes_and_drivers(rt):
    processes = static(rt, "System.Diagnostics.Process", "GetProcesses")
    assert {prop(rt, p, "Id") for p in processes} >= {100, 112}
    inetinfo = static(rt, "System.Diagnostics.Process", "GetProcessesByName", "INETINFO")
    assert [prop(rt, p, "Id") for p in inetinfo] == [112]
    services = {prop(rt, s, "ServiceName") for s in static(rt, "System.ServiceProcess.ServiceController",
                                                            "GetServices")}
    devices = {prop(rt, d, "ServiceName") for d in static(rt, "System.ServiceProcess.ServiceController",
                                                           "GetDevices")}
    assert devices == {"El90x1"}  # the network card's kernel driver (Type 1); Tcpip has no Type
    assert not services & devices


def test_temp_file_names(rt):
    temp = static(rt, "System.IO.Path", "GetTempPath")
    rt.host.fs.make_dir(temp)
    first = static(rt, "System.IO.Path", "GetTempFileName")
    second = static(rt, "System.IO.Path", "GetTempFileName")
    assert first.startswith(temp) and first.endswith(".tmp") and first != second
    assert rt.host.fs.read_file(first) == b""
    name = static(rt, "System.IO.Path", "GetRandomFileName")
    assert len(name) == 12 and name[8] == "."
