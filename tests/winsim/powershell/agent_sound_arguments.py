"""Well-formed arguments for random agent batches: operations that reach the work they exist for.

agent_batches.py mostly probes refusals (wrong types, hostile paths); half of its operations take their
arguments from here instead: files, keys, services and logs the IIS 4.0 host has, a small pool of scratch paths
that several operations of one batch write, copy, read back and delete, content that is sometimes what a file
already holds (changed: false), programs that start and are polled through $ref, and registry values of every
type written and read again.
"""

from __future__ import annotations

import base64
import hashlib
import random
from typing import Any

HOST_FILES = ["C:\\Inetsrv\\smtpsvc.dll", "C:\\Inetsrv\\Metabase.bin", "C:\\InetPub\\wwwroot\\Default.htm",
              "C:\\WINNT\\System32\\hostname.exe", "C:\\WINNT\\iis4setup.log", "C:\\WINNT\\System32\\smtpctrs.dll"]
# Not the state root's parent (%SystemRoot%\Temp): its records hold clock times, which no two runs share.
HOST_DIRECTORIES = ["C:\\Inetsrv", "C:\\InetPub", "C:\\InetPub\\Mailroot", "C:\\WINNT\\inf"]
SCRATCH_FILES = ["C:\\WINNT\\Temp\\diff\\a.txt", "C:\\WINNT\\Temp\\diff\\b.bin", "C:\\WINNT\\Temp\\diff\\sub\\c.txt",
                 "C:\\WINNT\\Temp\\diff\\\u00dcn\u00ef \u65e5\u672c.txt", "c:/winnt/temp/DIFF/A.TXT"]
SCRATCH_DIRECTORIES = ["C:\\WINNT\\Temp\\diff", "C:\\WINNT\\Temp\\diff\\sub", "C:\\WINNT\\Temp\\diff\\new dir\\x"]
CONTENTS = [b"", b"abc", b"hello\r\nworld\r\n", bytes(range(256)), b"MZ" + b"\0" * 62]
PROGRAMS = [("C:\\WINNT\\System32\\hostname.exe", []), ("C:\\WINNT\\System32\\cmd.exe", ["/c", "exit 3"]),
            ("C:\\WINNT\\System32\\whoami.exe", []), ("C:\\WINNT\\System32\\hostname.exe", ["extra"]),
            ("C:\\WINNT\\System32\\ipconfig.exe", []),
            # still running when polled: the poll's running branch and the launcher's later exit record
            ("C:\\WINNT\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
             ["-NoProfile", "-Command", "Start-Sleep -Seconds 2"])]
WRITE_KEYS = ["HKLM\\SOFTWARE\\Diff\\Test", "HKLM\\SOFTWARE\\Diff\\\u00dcn\u00ef", "HKCU\\Software\\Diff"]
READ_KEYS = [*WRITE_KEYS, "HKLM\\SOFTWARE\\Microsoft\\InetStp", "HKLM\\SYSTEM\\CurrentControlSet\\Services\\SMTPSVC",
             "HKLM\\SYSTEM\\CurrentControlSet\\Services\\NntpSvc",
             "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion", "HKEY_CURRENT_USER\\Environment",
             "HKU\\.DEFAULT", "HKEY_USERS\\.DEFAULT\\Software", "HKCR\\.txt", "HKEY_CLASSES_ROOT\\CLSID",
             "HKCC\\Software", "HKEY_CURRENT_CONFIG\\System", "HKEY_LOCAL_MACHINE\\SYSTEM\\Select"]
VALUE_NAMES = ["a", "", "\u00dcn\u00ef", "Multi", "ImagePath", "DependOnService", "Start", "Type", "ObjectName"]
IMAGE_PATHS = ['"C:\\Program Files\\x y\\svc.exe" -k', "\\SystemRoot\\System32\\drivers\\x.sys",
               "system32\\svchost.exe -k netsvcs", "\\??\\C:\\Inetsrv\\inetinfo.exe", "%SystemRoot%\\x.com /a",
               '"C:\\unterminated', "C:\\Inetsrv\\inetinfo.exe"]
SERVICES = ["SMTPSVC", "NntpSvc", "W3SVC", "IISADMIN", "MSFTPSVC", "EventLog", "smtpsvc"]
TIMES = ["1999-01-04T09:12:44Z", "2001-02-03T04:05:06Z", "2099-12-31T23:59:59Z"]
RECORDS = ["diff-lock", "Diff.Record_1", "DIFF.RECORD_1"]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


class SoundArguments:
    def __init__(self, rng: random.Random, ids_by_op: dict[str, list[str]]) -> None:
        self.rng = rng
        self.ids_by_op = ids_by_op

    def _file(self) -> str:
        return self.rng.choice(SCRATCH_FILES if self.rng.random() < 0.6 else HOST_FILES)

    def _directory(self) -> str:
        return self.rng.choice(SCRATCH_DIRECTORIES if self.rng.random() < 0.5 else HOST_DIRECTORIES)

    def _flags(self, names: tuple[str, ...], p: float = 0.5) -> dict[str, bool]:
        return {name: self.rng.random() < 0.5 for name in names if self.rng.random() < p}

    def _registry_value(self) -> tuple[str, Any]:
        r = self.rng
        return r.choice([("REG_SZ", r.choice(["", "text", "\u00fc\u20ac \u65e5", "C:\\Inetsrv"])),
                         ("REG_EXPAND_SZ", r.choice(["%SystemRoot%\\x", "%NOPE%"])),
                         ("REG_MULTI_SZ", r.choice([[], ["a"], ["a", "", "\u00fc"]])),
                         ("REG_DWORD", r.choice([0, 1, 2147483648, 4294967295])),
                         ("REG_QWORD", r.choice([0, 4294967296, 9223372036854775807])),
                         ("REG_BINARY", r.choice(["", "00ff", "DEADbeef"]))])

    def _service_setting(self) -> dict[str, Any]:
        r = self.rng
        name, kind, value = r.choice([
            ("ImagePath", "REG_EXPAND_SZ", r.choice(IMAGE_PATHS)), ("Start", "REG_DWORD", r.randint(0, 5)),
            ("Type", "REG_DWORD", r.choice([0x1, 0x2, 0x10, 0x20, 0x110, 0x7]))])
        return {"path": f"HKLM\\SYSTEM\\CurrentControlSet\\Services\\{r.choice(['NntpSvc', 'SMTPSVC'])}",
                "name": name, "type": kind, "value": value}

    def args_for(self, op: str) -> dict[str, Any]:
        r = self.rng
        if op == "system.info":
            return {"env": r.sample(["windir", "PATH", "NOPE_NOT_SET", "PROCESSOR_ARCHITECTURE", "TEMP"], 2)}
        if op == "registry.read":
            a: dict[str, Any] = {"path": r.choice(READ_KEYS), **self._flags(("subkeys",))}
            if r.random() < 0.5:
                a["values"] = r.sample(VALUE_NAMES, r.randint(1, 4))
            return a
        if op == "registry.write":
            if r.random() < 0.3:  # what service.query and the service control manager read back
                return self._service_setting()
            kind, value = self._registry_value()
            a = {"path": r.choice(WRITE_KEYS), "name": r.choice(VALUE_NAMES[:4]), "type": kind, "value": value}
            if r.random() < 0.2:
                a["state"] = "absent"
            return a
        if op == "service.query":
            return {"name": r.choice(SERVICES)}
        if op in ("service.start", "service.stop"):
            a = {"name": r.choice(SERVICES), "timeout_seconds": r.choice([0, 1, 2])}
            return a | (self._flags(("dependents",)) if op == "service.stop" else {})
        if op == "event.query":
            a = {"log": r.choice(["System", "Application"]), "newest": r.randint(1, 5)}
            for key, make in (("sources", lambda: [r.choice(["Service Control Manager", "EventLog"])]),
                              ("event_ids", lambda: r.sample([6005, 7000, 7023, 7036], 2)),
                              ("since", lambda: r.choice(TIMES)), ("max_scan", lambda: r.randint(1, 40)),
                              ("message", lambda: r.random() < 0.5)):
                if r.random() < 0.4:
                    a[key] = make()
            return a
        if op == "file.stat":
            path = r.choice(HOST_FILES) if r.random() < 0.5 else self._file()
            return {"path": path if r.random() < 0.85 else self._directory(),
                    **self._flags(("sha256", "pe", "version"), 0.7)}
        if op == "file.tree":
            a = {"path": self._directory(), **self._flags(("sha256",))}
            for key, values in (("max_files", [0, 3, 10000]), ("max_bytes", [0, 1000, 1099511627776]),
                                ("max_depth", [0, 1, 32])):
                if r.random() < 0.3:
                    a[key] = r.choice(values)
            return a
        if op == "file.write":
            content = r.choice(CONTENTS)
            a = {"path": self._file(), "content": _b64(content), **self._flags(("create_parents",), 0.3)}
            mode = r.choice(["whole", "whole", "offset", "append"])
            if mode == "offset":
                a["offset"] = r.choice([1, 3, 14])
            elif mode == "append":
                a["append"] = True
            elif r.random() < 0.5:  # the whole file is the content: its digest is known
                a["expect_sha256"] = hashlib.sha256(content).hexdigest().upper()
            if r.random() < 0.3:
                a["mtime"] = r.choice(TIMES)
            return a
        if op == "file.copy":
            a = {"src": self._file(), "dest": r.choice(SCRATCH_FILES),
                 **self._flags(("overwrite", "create_parents", "verify"), 0.3)}
            if r.random() < 0.4:
                a["backup"] = r.choice(SCRATCH_FILES)
            return a
        if op == "file.delete":
            return {"path": r.choice(SCRATCH_FILES + SCRATCH_DIRECTORIES), **self._flags(("recurse", "must_exist"))}
        if op == "dir.create":
            return {"path": r.choice(SCRATCH_DIRECTORIES)}
        if op == "process.start":
            executable, arguments = r.choice(PROGRAMS)
            a = {"executable": executable, "arguments": arguments}
            if r.random() < 0.3:
                a["working_directory"] = r.choice(HOST_DIRECTORIES)
            return a
        if op == "process.poll":
            started = self.ids_by_op.get("process.start")
            if not started:
                return {"pid": r.choice([4, 1504, 1508])}
            source = r.choice(started)
            a = {"pid": {"$ref": source, "pointer": "/pid"}, "wait_seconds": r.choice([0, 1, 2])}
            if r.random() < 0.5:
                a["start_time"] = {"$ref": source, "pointer": "/start_time"}
            return a
        if op in ("lock.acquire", "lock.release"):
            a = {"name": r.choice(RECORDS), "owner": r.choice(["me@ctl:1", "other@ctl:2"])}
            if op == "lock.acquire" and r.random() < 0.3:
                a["take_over"] = r.choice(["me@ctl:1", "other@ctl:2"])
            return a | (self._flags(("force",)) if op == "lock.release" else {})
        if op == "state.read":
            return {"name": r.choice(RECORDS)}
        if op == "state.write":
            if r.random() < 0.2:
                return {"name": r.choice(RECORDS), "delete": True}
            return {"name": r.choice(RECORDS), "value": r.choice([{"step": "overlay", "n": 1}, ["a", 2, None],
                                                                   {"\u00dcn\u00ef": {"x": [1.5, True]}}, "s"])}
        raise ValueError(op)

    def follow_up(self, op: str, args: dict[str, Any], op_id: str) -> tuple[str, dict[str, Any]]:
        """An operation on what an earlier one of the batch touched: its file read back, copied or deleted, its
        program polled, its record or value read and written again, its lock released."""
        r = self.rng
        if op in ("file.write", "file.copy", "file.stat") and isinstance(args.get("path", args.get("dest")), str):
            path = args.get("path", args.get("dest"))
            follow = r.choice(["file.stat", "file.copy", "file.copy", "file.delete", "file.write"])
            if follow == "file.stat":
                return follow, {"path": path, "sha256": True, **self._flags(("pe", "version"))}
            if follow == "file.copy":
                source, target = (path, r.choice(SCRATCH_FILES)) if r.random() < 0.5 else (self._file(), path)
                extra = {"backup": r.choice(SCRATCH_FILES)} if r.random() < 0.5 else {}
                return follow, {"src": source, "dest": target, **extra, **self._flags(("overwrite", "verify"), 0.3)}
            if follow == "file.delete":
                return follow, {"path": r.choice([path, path.rsplit("\\", 1)[0]]), **self._flags(("recurse",))}
            return follow, {**self.args_for("file.write"), "path": path}
        if op == "process.start":
            return "process.poll", {"pid": {"$ref": op_id, "pointer": "/pid"}, "wait_seconds": r.choice([0, 1]),
                                    **({"start_time": {"$ref": op_id, "pointer": "/start_time"}}
                                       if r.random() < 0.5 else {})}
        if op in ("state.write", "state.read"):
            follow = r.choice(["state.read", "state.write"])
            return follow, {**self.args_for(follow), "name": args["name"]}
        if op in ("lock.acquire", "lock.release"):
            follow = r.choice(["lock.acquire", "lock.release"])
            return follow, {**self.args_for(follow), "name": args["name"]}
        if op == "registry.write":
            service = args["path"].rsplit("\\", 1)[1] if "\\Services\\" in args["path"] else None
            if service is not None and r.random() < 0.7:  # what the service control manager makes of it
                follow = r.choice(["service.query", "service.query", "service.start", "service.stop"])
                return follow, {**self.args_for(follow), "name": service}
            if r.random() < 0.5:
                return "registry.read", {"path": args["path"], "values": [args["name"]]}
            return "registry.write", {**args, **({"state": "absent"} if r.random() < 0.3 else {})}
        if op in ("service.start", "service.stop", "service.query"):
            follow = r.choice(["service.query", "service.start", "service.stop"])
            return follow, {**self.args_for(follow), "name": args["name"]}
        return op, self.args_for(op)

