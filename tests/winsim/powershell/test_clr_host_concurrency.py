"""The host-backed members share the host with WinRM commands and detached programs running at once: every
member runs under the host's lock, and the members that wait never sleep holding it."""

from __future__ import annotations

import threading
import time

import pytest

from tests.winsim.powershell.clr_host import call, enum, make_runtime, new, raises, static
from winsim.powershell.clr.library.host import interop
from winsim.powershell.clr.values import Int64


@pytest.fixture
def rt(tmp_path):
    runtime = make_runtime(tmp_path, "iis4-kb")
    runtime.host.boot()
    return runtime


def _hold_lock(host, seconds: float, ready: threading.Event) -> None:
    with host.lock:
        ready.set()
        time.sleep(seconds)


def test_a_member_waits_for_another_thread_holding_the_host(rt):
    ready = threading.Event()
    holder = threading.Thread(target=_hold_lock, args=(rt.host, 0.3, ready))
    holder.start()
    ready.wait()
    started = time.monotonic()
    static(rt, "System.IO.File", "Exists", "C:\\boot.ini")
    assert time.monotonic() - started >= 0.2
    holder.join()


def test_wait_for_status_does_not_hold_the_host_while_it_waits(rt):
    controller = new(rt, "System.ServiceProcess.ServiceController", "SMTPSVC")
    span = interop.construct(rt, "System.TimeSpan", Int64(5_000_000))  # 0.5 s
    acquired = []

    def other_command():
        time.sleep(0.1)
        started = time.monotonic()
        with rt.host.lock:
            acquired.append(time.monotonic() - started)

    other = threading.Thread(target=other_command)
    other.start()
    with raises("System.ServiceProcess.TimeoutException"):
        call(rt, controller, "WaitForStatus", enum("System.ServiceProcess.ServiceControllerStatus", "Running"),
             span)
    other.join()
    assert acquired and acquired[0] < 0.2  # the other command got the host while WaitForStatus slept
