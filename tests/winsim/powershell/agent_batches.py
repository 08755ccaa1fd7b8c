"""Random agent request batches, generated from the protocol's operation table (docs/agent-protocol.md).

Each batch mixes valid operations on things an IIS 4.0 host has (files under the IIS path, the InetStp key,
SMTP/NNTP services, the System log) with wrong types, missing arguments, hostile and non-ASCII strings,
paths Windows refuses, and value expressions ($ref/$join/$expand/$dirname, nested, failing). The same seed
gives the same batch, so a difference found is reproducible by its seed.
"""

from __future__ import annotations

import base64
import random
import string
from typing import Any

import agent_fixtures  # noqa: F401 - makes the collection importable
from agent_sound_arguments import SoundArguments

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_protocol import OPERATIONS, PROTOCOL

HOSTILE = ["C:\\x'; Remove-Item -Recurse C:\\ #", 'C:\\a"b', "C:\\$(whoami)", "C:\\`$env:windir",
           "C:\\Inetpub\\ünïcødé\\файл.txt", "C:\\日本\\語.txt", "C:\\a<b>|c", "C:\\con\\nul", "C:\\x\u0001y"]
VALID_PATHS = ["C:\\Inetsrv", "C:\\Inetsrv\\smtpsvc.dll", "C:\\Inetsrv\\nntpsvc.dll", "C:\\Inetpub\\Mailroot",
         "C:\\Inetpub\\Mailroot\\Queue", "C:\\Inetpub\\nntpfile", "C:\\WINNT\\system32\\hostname.exe",
         "C:\\WINNT\\system32\\inetsrv", "C:\\nope\\missing.txt", "C:\\WINNT\\Temp\\diff\\new.txt",
               "C:\\WINNT\\Temp\\diff", "c:\\inetsrv\\SMTPSVC.DLL", "C:\\Inetsrv\\", "C:/WINNT/system32"]
ODD_PATHS = ["C:\\", "D:\\", "Q:\\x.txt", "relative\\file.txt", "\\\\?\\C:\\WINNT",
              "\\\\.\\PhysicalDrive0", "\\\\server\\share\\file.txt", "C:\\" + "\\".join(["long" * 10] * 8),
             *HOSTILE]
PATHS = VALID_PATHS + ODD_PATHS
KEYS = ["HKLM\\SOFTWARE\\Microsoft\\InetStp", "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\SMTPSVC",
        "HKLM\\SYSTEM\\CurrentControlSet\\Services\\NntpSvc\\Parameters", "HKLM", "HKXX\\Software",
        "HKLM\\SOFTWARE\\Microsoft\\Inetsrv\\CurrentVersion", "hklm\\software\\microsoft\\windows nt\\currentversion",
        "HKLM\\SOFTWARE\\Diff/Slash", "HKLM\\SOFTWARE\\Diff\\Ünïcødé", "HKCU\\Environment", "HKU\\.DEFAULT",
        "HKLM\\SOFTWARE\\Diff\\Test"]
VALUE_NAMES = ["InstallPath", "MajorVersion", "", "ImagePath", "Start", "missing", "PathWWWRoot", "ObjectName",
               "DependOnService", "Ünïcødé"]
SERVICES = ["SMTPSVC", "smtpsvc", "NntpSvc", "W3SVC", "MSFTPSVC", "IISADMIN", "EventLog", "nosuch", "bad\\name",
            "a/b", "", "x" * 300]
LOGS = ["System", "Application", "Security", "Nope"]
RECORDS = ["diff-lock", "Diff.Record_1", "-ok", ".bad", "a" * 70, "bad name", "ünï", "../up"]
ENV_NAMES = ["windir", "SystemRoot", "PATH", "NOPE_NOT_SET", "ComSpec", "PROCESSOR_ARCHITECTURE"]
TIMES = ["1999-01-04T09:12:44Z", "2001-02-03T04:05:06Z", "not a time", "2099-12-31T23:59:59Z"]


class BatchGenerator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.ids: list[str] = []
        self.ids_by_op: dict[str, list[str]] = {}
        self.sound = SoundArguments(self.rng, self.ids_by_op)
        self.sound_history: list[tuple[str, dict[str, Any], str]] = []  # well-formed operations: op, args, id

    # -- scalar values --------------------------------------------------------------------------------------
    def junk(self) -> Any:
        r = self.rng
        return r.choice([None, True, 0, -1, 4294967296, 1.5, "", "junk", [], ["a"], {}, {"x": 1}])

    def maybe_junk(self, value: Any, p: float = 0.06) -> Any:
        return self.junk() if self.rng.random() < p else value

    def text(self) -> str:
        r = self.rng
        pool = string.ascii_letters + string.digits + " _-.\\/'\"`$%{}();|&ü€日\t\n\r\b\f\U0001f600"
        return "".join(r.choice(pool) for _ in range(r.randint(0, 24)))

    def path(self) -> Any:
        r = self.rng
        if r.random() < 0.2:
            return self.expression("path")
        return self.maybe_junk(r.choice(VALID_PATHS if r.random() < 0.7 else ODD_PATHS), 0.04)

    def expression(self, kind: str, depth: int = 0) -> Any:
        r = self.rng
        choice = r.randrange(6 if depth < 3 else 1)
        if choice == 0 or not self.ids:
            return r.choice(PATHS) if kind == "path" else self.text()
        if choice == 1:
            pointer = r.choice(["", "/path", "/value/path", "/values/InstallPath/expanded", "/0", "/x~1y", 7, "nope"])
            target = r.choice([*self.ids, "never-defined"])
            return {"$ref": self.maybe_junk(target, 0.05), "pointer": pointer} if pointer != "" else {"$ref": target}
        if choice == 2:
            return {"$expand": r.choice(["%windir%\\Temp", "%NOPE%\\x", "%SystemRoot%", self.text()])}
        if choice == 3:
            parts = [self.expression(kind, depth + 1) for _ in range(r.randint(0, 3))]
            return {"$join": self.maybe_junk(parts, 0.1)}
        if choice == 4:
            return {"$dirname": self.expression(kind, depth + 1)}
        nested: Any = "C:\\Inetsrv"
        for _ in range(r.choice([15, 16, 17, 20])):
            nested = {"$dirname": nested}
        return nested

    def integer(self, low: int, high: int) -> Any:
        r = self.rng
        return self.maybe_junk(r.choice([low, high, high + 1, low - 1, r.randint(low, high)]), 0.08)

    def content(self) -> Any:
        r = self.rng
        data = bytes(r.randrange(256) for _ in range(r.randint(0, 300)))
        return r.choice([base64.b64encode(data).decode(), "not base64!", "", base64.b64encode(b"abc").decode()])

    # -- operations -----------------------------------------------------------------------------------------
    def args_for(self, op: str) -> dict[str, Any]:
        r = self.rng
        a: dict[str, Any] = {}
        if op == "system.info":
            a["env"] = self.maybe_junk([r.choice(ENV_NAMES) for _ in range(r.randint(0, 3))])
        elif op == "registry.read":
            a["path"] = self.maybe_junk(r.choice(KEYS))
            if r.random() < 0.6:
                a["values"] = self.maybe_junk([r.choice(VALUE_NAMES) for _ in range(r.randint(0, 3))])
            if r.random() < 0.4:
                a["subkeys"] = self.maybe_junk(r.random() < 0.5)
        elif op in ("service.query", "service.start", "service.stop"):
            a["name"] = self.maybe_junk(r.choice(SERVICES))
            if op != "service.query" and r.random() < 0.5:
                a["timeout_seconds"] = self.maybe_junk(r.choice([0, 1, 3601]))
            if op == "service.stop" and r.random() < 0.5:
                a["dependents"] = r.random() < 0.5
        elif op == "event.query":
            a["log"] = self.maybe_junk(r.choice(LOGS))
            for key, make in (("sources", lambda: [r.choice(["Service Control Manager", "EventLog", "x"])]),
                              ("event_ids", lambda: [r.choice([7000, 7023, 6005, 0, -1])]),
                              ("newest", lambda: self.integer(1, 10000)), ("since", lambda: r.choice(TIMES)),
                              ("max_scan", lambda: self.integer(1, 1000000)), ("message", lambda: r.random() < 0.5)):
                if r.random() < 0.3:
                    a[key] = self.maybe_junk(make())
        elif op == "file.stat":
            a["path"] = self.path()
            for key in ("sha256", "pe", "version"):
                if r.random() < 0.4:
                    a[key] = self.maybe_junk(r.random() < 0.7)
        elif op == "file.tree":
            a["path"] = self.path()
            for key, make in (("sha256", lambda: r.random() < 0.5),
                              ("max_files", lambda: self.integer(0, 1000000)),
                              ("max_bytes", lambda: self.integer(0, 2 ** 40)),
                              ("max_depth", lambda: self.integer(0, 256))):
                if r.random() < 0.3:
                    a[key] = make()
        elif op == "file.write":
            a["path"] = self.path()
            a["content"] = self.maybe_junk(self.content())
            for key, make in (("offset", lambda: self.integer(0, 600)), ("append", lambda: r.random() < 0.5),
                              ("create_parents", lambda: r.random() < 0.7),
                              ("expect_sha256", lambda: r.choice(["0" * 64, "xyz", "A" * 64])),
                              ("mtime", lambda: r.choice(TIMES))):
                if r.random() < 0.25:
                    a[key] = make()
        elif op == "file.copy":
            a["src"], a["dest"] = self.path(), self.path()
            for key, make in (("overwrite", lambda: r.random() < 0.5), ("create_parents", lambda: r.random() < 0.7),
                              ("backup", self.path), ("verify", lambda: r.random() < 0.7)):
                if r.random() < 0.3:
                    a[key] = make()
        elif op == "file.delete":
            a["path"] = self.path()
            for key in ("recurse", "must_exist"):
                if r.random() < 0.4:
                    a[key] = self.maybe_junk(r.random() < 0.5)
        elif op == "dir.create":
            a["path"] = self.path()
        elif op == "process.start":
            a["executable"] = self.maybe_junk(r.choice(["C:\\WINNT\\system32\\hostname.exe", "C:\\nope.exe",
                                                        "C:\\Inetsrv\\smtpsvc.dll", "relative.exe", *HOSTILE[:2]]))
            if r.random() < 0.5:
                a["arguments"] = self.maybe_junk([r.choice(["", "/u:C:\\a b.txt", 'say "hi"', "C:\\my dir\\"])])
            if r.random() < 0.3:
                a["working_directory"] = self.path()
        elif op == "process.poll":
            a["pid"] = self.integer(1, 4294967295)
            if r.random() < 0.3:
                a["start_time"] = r.choice(TIMES)
            if r.random() < 0.3:
                a["wait_seconds"] = self.integer(0, 2)
        elif op == "registry.write":
            a["path"] = self.maybe_junk(r.choice(KEYS[-4:] + KEYS[:2]))
            a["name"] = self.maybe_junk(r.choice(VALUE_NAMES))
            kind = r.choice(["REG_SZ", "REG_EXPAND_SZ", "REG_MULTI_SZ", "REG_DWORD", "REG_QWORD", "REG_BINARY",
                             "REG_X"])
            value = {"REG_SZ": self.text(), "REG_EXPAND_SZ": "%SystemRoot%\\x", "REG_MULTI_SZ": ["a", "b", ""],
                     "REG_DWORD": r.choice([0, 4294967295, 4294967296, -1]),
                     "REG_QWORD": r.choice([0, 9223372036854775807, -5]),
                     "REG_BINARY": r.choice(["00ff", "abc", "", "ZZ"]), "REG_X": 1}[kind]
            if r.random() < 0.2:
                a["state"] = r.choice(["absent", "present", "bogus"])
            a["type"], a["value"] = self.maybe_junk(kind, 0.05), self.maybe_junk(value, 0.1)
            if r.random() < 0.3:
                a["create_key"] = r.random() < 0.5
        elif op in ("lock.acquire", "lock.release"):
            a["name"] = self.maybe_junk(r.choice(RECORDS))
            a["owner"] = self.maybe_junk(r.choice(["me@ctl:1", "other@ctl:2", "", "x" * 300, "ünï"]))
            if op == "lock.acquire" and r.random() < 0.4:
                a["ttl_seconds"] = self.integer(1, 86400)
            if op == "lock.release" and r.random() < 0.3:
                a["force"] = r.random() < 0.5
        elif op in ("state.read", "state.write"):
            a["name"] = self.maybe_junk(r.choice(RECORDS))
            if op == "state.write":
                if r.random() < 0.2:
                    a["delete"] = r.random() < 0.7
                if r.random() < 0.9:
                    a["value"] = self.maybe_junk(r.choice([{"step": "x", "n": 1}, [1, "two", None, 3.5],
                                                           {"Ünï": ["ü"]}, "s", 0, {"big": "x" * 70000}]))
        if r.random() < 0.1 and self.ids:
            a["after"] = {"$ref": r.choice(self.ids)}
        if r.random() < 0.05:
            a["unknown_argument"] = self.junk()
        if r.random() < 0.05 and a:
            first = next(iter(a))
            a[first.upper()] = a.pop(first)  # argument names are matched case-insensitively
        return a

    def operation(self) -> Any:
        r = self.rng
        op = r.choice(sorted(OPERATIONS))
        if r.random() < 0.03:
            op = r.choice(["file.nope", "", None, 5])
        op_id = f"o{len(self.ids)}"
        if r.random() < 0.03:
            op_id = r.choice(["", "bad id", "x" * 129, *self.ids[:1], None])
        args: dict[str, Any] = {}
        if self.sound_history and r.random() < 0.3:  # the next step on something an earlier operation touched
            op, args = self.sound.follow_up(*r.choice(self.sound_history))
            self.sound_history.append((op, args, op_id))
        elif isinstance(op, str) and op in OPERATIONS and r.random() < 0.5:  # well-formed: the work itself
            args = self.sound.args_for(op)
            self.sound_history.append((op, args, op_id))
        elif isinstance(op, str):  # probing refusals
            args = self.args_for(op)
        operation: Any = {"id": op_id, "op": op, "args": args}
        if r.random() < 0.03:  # args absent, null or not an object
            operation["args"] = r.choice([None, "args", [args]]) if r.random() < 0.7 else operation.pop("args")
        if r.random() < 0.03:
            operation = r.choice(["not an object", None, [operation]])
        if isinstance(op_id, str):
            self.ids.append(op_id)
            if isinstance(op, str):
                self.ids_by_op.setdefault(op, []).append(op_id)
        return operation

    def batch(self, size: int | None = None) -> Any:
        count = size if size is not None else self.rng.randint(1, 16)
        request: Any = {"protocol": PROTOCOL, "operations": [self.operation() for _ in range(count)]}
        if self.rng.random() < 0.05:  # refused whole: protocol missing or another, operations not a list, no object
            request = self.rng.choice([{"operations": request["operations"]}, {**request, "protocol": "other/1"},
                                       {**request, "protocol": 1}, {**request, "operations": {"o0": {}}},
                                       {"protocol": PROTOCOL}, [request]])
        return request
