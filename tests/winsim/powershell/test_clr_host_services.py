"""ServiceController and WMI (Win32_Service, Win32_Process) against a booted winsim host running IIS 4.0 as
KB Q197303 describes it (SMTP and NNTP stopped with exit code 2)."""

from __future__ import annotations

import pytest

from tests.winsim.powershell.clr_host import call, enum, make_runtime, new, prop, raises, static
from winsim.powershell.clr.library.host import interop
from winsim.powershell.clr.values import ClrArray, UInt32

SC = "System.ServiceProcess.ServiceController"


@pytest.fixture(scope="module")
def booted(tmp_path_factory):
    rt = make_runtime(tmp_path_factory.mktemp("services"), "iis4-kb")
    rt.host.boot()
    return rt


@pytest.fixture
def rt(tmp_path):
    runtime = make_runtime(tmp_path, "iis4-kb")
    runtime.host.boot()
    return runtime


def test_get_services_lists_win32_services_by_name_with_their_status(booted):
    services = static(booted, SC, "GetServices")
    names = [prop(booted, s, "ServiceName") for s in services]
    assert names == sorted(names, key=str.casefold) and "W3SVC" in names and "SMTPSVC" in names
    w3 = services[names.index("W3SVC")]
    assert str(prop(booted, w3, "Status")) == "Running" and prop(booted, w3, "CanStop") is True
    assert str(prop(booted, w3, "ServiceType")) == "Win32ShareProcess"
    assert str(prop(booted, services[names.index("SMTPSVC")], "Status")) == "Stopped"


def test_controller_by_display_name_and_dependencies(booted):
    controller = new(booted, SC, "iis admin service")
    assert prop(booted, controller, "ServiceName") == "IISADMIN"
    dependents = [prop(booted, d, "ServiceName") for d in prop(booted, controller, "DependentServices")]
    assert {"W3SVC", "MSFTPSVC", "SMTPSVC", "NNTPSVC"} <= set(dependents)
    depended = [prop(booted, d, "ServiceName") for d in prop(booted, controller, "ServicesDependedOn")]
    assert depended == ["RpcSs", "ProtectedStorage"]
    # EnumDependentServices: indirect dependents too, each listed before the services it depends on
    transitive = [prop(booted, d, "ServiceName") for d in prop(booted, new(booted, SC, "RpcSs"), "DependentServices")]
    assert set(transitive) == {"ProtectedStorage", "Spooler", "IISADMIN", "W3SVC", "MSFTPSVC", "SMTPSVC", "NNTPSVC"}
    for name in ("W3SVC", "MSFTPSVC", "SMTPSVC", "NNTPSVC"):
        assert transitive.index(name) < transitive.index("IISADMIN") < transitive.index("ProtectedStorage")


def test_missing_service_errors_carry_the_win32_exception(booted):
    controller = new(booted, SC, "NoSuchService")
    with raises("System.InvalidOperationException", "Cannot open NoSuchService service on computer '.'.") as info:
        prop(booted, controller, "Status")
    inner = interop.get(booted, info.value, "InnerException")
    assert inner.clr_full_name == "System.ComponentModel.Win32Exception"
    assert interop.get(booted, inner, "NativeErrorCode") == 1060
    with raises("System.InvalidOperationException", "Service NoSuchService was not found on computer '.'."):
        prop(booted, controller, "DisplayName")
    with raises("System.ArgumentException", "Invalid value '' for parameter 'name'."):
        new(booted, SC, "")


def test_start_stop_and_refresh(rt):
    controller = new(rt, SC, "W3SVC")
    assert str(prop(rt, controller, "Status")) == "Running"
    call(rt, controller, "Stop")
    assert str(prop(rt, controller, "Status")) == "Running"  # cached until Refresh
    call(rt, controller, "Refresh")
    assert str(prop(rt, controller, "Status")) == "Stopped"
    with raises("System.InvalidOperationException", "Cannot stop W3SVC service on computer '.'.") as info:
        call(rt, controller, "Stop")
    assert interop.get(rt, interop.get(rt, info.value, "InnerException"), "NativeErrorCode") == 1062
    call(rt, controller, "Start")
    assert rt.host.services.status("W3SVC").state == "running"
    with raises("System.InvalidOperationException", "Cannot start service W3SVC on computer '.'."):
        call(rt, controller, "Start")


def test_pause_and_continue_are_refused_by_the_modelled_services(booted):
    controller = new(booted, SC, "W3SVC")
    with raises("System.InvalidOperationException", "Cannot pause W3SVC service on computer '.'.") as info:
        call(booted, controller, "Pause")
    assert interop.get(booted, interop.get(booted, info.value, "InnerException"), "NativeErrorCode") == 1052
    with raises("System.InvalidOperationException", "Cannot resume SMTPSVC service on computer '.'.") as info:
        call(booted, new(booted, SC, "SMTPSVC"), "Continue")
    assert interop.get(booted, interop.get(booted, info.value, "InnerException"), "NativeErrorCode") == 1062


def test_stop_stops_running_dependents_first(rt):
    call(rt, new(rt, SC, "IISADMIN"), "Stop")
    for name in ("IISADMIN", "W3SVC", "MSFTPSVC"):
        assert rt.host.services.status(name).state == "stopped"


def test_start_of_a_service_whose_dll_is_missing_succeeds_then_it_stops(rt):
    controller = new(rt, SC, "SMTPSVC")
    call(rt, controller, "Start")
    call(rt, controller, "Refresh")
    assert str(prop(rt, controller, "Status")) == "Stopped"


def test_wait_for_status_times_out(rt):
    controller = new(rt, SC, "SMTPSVC")
    span = interop.construct(rt, "System.TimeSpan", interop.values.Int64(2_000_000))  # 0.2 s
    with raises("System.ServiceProcess.TimeoutException",
                "Time out has expired and the operation has not been completed.", hresult=-2146232570):
        call(rt, controller, "WaitForStatus", enum("System.ServiceProcess.ServiceControllerStatus", "Running"), span)
    call(rt, controller, "WaitForStatus", enum("System.ServiceProcess.ServiceControllerStatus", "Stopped"), span)


def test_wmi_query_of_win32_service(booted):
    searcher = new(booted, "System.Management.ManagementObjectSearcher",
                   "SELECT Name, ExitCode, ServiceSpecificExitCode, ProcessId FROM Win32_Service")
    rows = {call(booted, item, "GetPropertyValue", "Name"): item for item in call(booted, searcher, "Get")}
    smtp, w3 = rows["SMTPSVC"], rows["W3SVC"]
    assert call(booted, smtp, "GetPropertyValue", "ExitCode") == 2
    assert isinstance(call(booted, smtp, "GetPropertyValue", "ExitCode"), UInt32)
    assert call(booted, w3, "get_Item", "processid") == 112 and w3["ProcessId"] == 112
    with raises("System.Management.ManagementException", "Not found "):
        call(booted, w3, "GetPropertyValue", "State")  # not selected


def test_wmi_where_clause_and_errors(booted):
    query = "SELECT * FROM Win32_Service WHERE State = 'stopped' AND (Name LIKE 'S%' OR Name = \"NNTPSVC\")"
    found = call(booted, new(booted, "System.Management.ManagementObjectSearcher", query), "Get")
    assert {item["Name"] for item in found} == {"NNTPSVC", "Schedule", "SMTPSVC"}
    assert prop(booted, found, "Count") == 3
    with raises("System.Management.ManagementException", "Invalid class "):
        call(booted, new(booted, "System.Management.ManagementObjectSearcher", "SELECT * FROM Win32_Nope"), "Get")
    with raises("System.Management.ManagementException", "Invalid query "):
        call(booted, new(booted, "System.Management.ManagementObjectSearcher", "SELECT Nope FROM Win32_Service"),
             "Get")


def test_win32_process_create_reports_return_values(rt):
    processes = new(rt, "System.Management.ManagementClass", "Win32_Process")
    parameters = call(rt, processes, "GetMethodParameters", "Create")
    startup = call(rt, new(rt, "System.Management.ManagementClass", "Win32_ProcessStartup"), "CreateInstance")
    startup["ShowWindow"] = 0
    parameters["CommandLine"] = "C:\\nope\\missing.exe"
    parameters["ProcessStartupInformation"] = startup
    outcome = call(rt, processes, "InvokeMethod", "Create", parameters, None)
    assert outcome["ReturnValue"] == 9 and outcome["ProcessId"] is None
    parameters["CommandLine"] = "hostname.exe"
    parameters["CurrentDirectory"] = "C:\\"
    outcome = call(rt, processes, "InvokeMethod", "Create", parameters, None)
    assert outcome["ReturnValue"] == 0 and outcome["ProcessId"] >= 1504
    arguments = ClrArray(["hostname.exe", None, None, None], "System.Object")
    assert call(rt, processes, "InvokeMethod", "Create", arguments) == 0 and arguments[3] >= 1504
    with raises("System.Management.ManagementException", "Not found "):
        call(rt, new(rt, "System.Management.ManagementClass", "Win32_Nope"), "GetInstances")
    pids = [item["ProcessId"] for item in call(rt, processes, "GetInstances")]
    assert 112 in pids


def test_a_controller_for_another_computer_cannot_reach_it(booted):
    controller = new(booted, SC, "W3SVC", "OTHERHOST")
    with raises("System.InvalidOperationException", "Cannot open Service Control Manager on computer 'OTHERHOST'. "
                "This operation might require other privileges.") as info:
        prop(booted, controller, "Status")
    assert interop.get(booted, interop.get(booted, info.value, "InnerException"), "NativeErrorCode") == 53
    assert str(prop(booted, new(booted, SC, "W3SVC", "."), "Status")) == "Running"


def test_wmi_instance_methods_control_services(rt):
    searcher = new(rt, "System.Management.ManagementObjectSearcher",
                   "SELECT Name, State FROM Win32_Service WHERE Name = 'IISADMIN' OR Name = 'W3SVC'")
    services = {item["Name"]: item for item in call(rt, searcher, "Get")}
    assert services["IISADMIN"].ps_invoke_method("StopService", []) == (True, 3)  # dependents still running
    assert services["W3SVC"].ps_invoke_method("StopService", []) == (True, 0)
    assert rt.host.services.status("W3SVC").state == "stopped"
    assert call(rt, services["W3SVC"], "InvokeMethod", "StopService", ClrArray([], "System.Object")) == 6
    assert services["W3SVC"].ps_invoke_method("ChangeStartMode", ["Disabled"]) == (True, 0)
    assert services["W3SVC"].ps_invoke_method("StartService", []) == (True, 14)
    assert services["W3SVC"].ps_invoke_method("NoSuchMethod", []) == (False, None)
    unkeyed = next(iter(call(rt, new(rt, "System.Management.ManagementObjectSearcher",
                                     "SELECT State FROM Win32_Service"), "Get")))
    with raises("System.Management.ManagementException", "Invalid method "):
        call(rt, unkeyed, "InvokeMethod", "StopService", ClrArray([], "System.Object"))
    processes = new(rt, "System.Management.ManagementClass", "Win32_Process")
    found, outcome = processes.ps_invoke_method("Create", ["hostname.exe"])
    assert found and outcome["ReturnValue"] == 0 and outcome["ProcessId"] >= 1504


def test_wmi_paths_and_system_properties(booted):
    item = next(iter(call(booted, new(booted, "System.Management.ManagementObjectSearcher",
                                      "SELECT Name FROM Win32_Service WHERE Name = 'W3SVC'"), "Get")))
    assert call(booted, item, "ToString") == '\\\\TESTHOST\\root\\cimv2:Win32_Service.Name="W3SVC"'
    assert item.ps_get_member("__CLASS") == (True, "Win32_Service")
    assert item.ps_get_member("__RELPATH") == (True, 'Win32_Service.Name="W3SVC"')
    processes = new(booted, "System.Management.ManagementClass", "Win32_Process")
    assert call(booted, processes, "ToString") == "\\\\TESTHOST\\root\\cimv2:Win32_Process"


def test_management_exception_made_without_arguments_reports_a_generic_failure(booted):
    error = new(booted, "System.Management.ManagementException")
    assert str(prop(booted, error, "ErrorCode")) == "Failed"


def test_wait_for_an_undefined_status_is_an_invalid_enum_argument(booted):
    controller = new(booted, SC, "W3SVC")
    status = interop.enum("System.ServiceProcess.ServiceControllerStatus", 99)
    with raises("System.ComponentModel.InvalidEnumArgumentException", "The value of argument 'desiredStatus' (99) is "
                "invalid for Enum type 'ServiceControllerStatus'.\r\nParameter name: desiredStatus"):
        call(booted, controller, "WaitForStatus", status)


def test_wmi_answers_with_a_com_error_when_winmgmt_is_disabled(rt):
    rt.host.services.create_service("winmgmt", "Windows Management Instrumentation", "%SystemRoot%\\system32\\x.exe",
                                    start_type=4)
    searcher = new(rt, "System.Management.ManagementObjectSearcher", "SELECT Name FROM Win32_Service")
    message = ("The service cannot be started, either because it is disabled or because it has no enabled devices "
               "associated with it. (Exception from HRESULT: 0x80070422)")
    with raises("System.Runtime.InteropServices.COMException", message, hresult=-2147023838):
        call(rt, searcher, "Get")
    with raises("System.Runtime.InteropServices.COMException", message):
        call(rt, new(rt, "System.Management.ManagementClass", "Win32_Process"), "GetMethodParameters", "Create")
