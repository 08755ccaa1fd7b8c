"""An in-memory Windows host for the iis_component tests, answering win-primitive-agent/1 requests.

Written from docs/agent-protocol.md, independently of the collection's code: value expressions,
``after``, the read and write operations the module uses, and an Option Pack ``setup.exe`` that
follows its answer file (removal deletes Mailroot and nntpfile, the worst case).
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import time
import types

from ansible.parsing.dataloader import DataLoader
from ansible.playbook.play_context import PlayContext

from ansible_collections.winops.iis_hotfix.plugins.action.iis_component import ActionModule

READ_OPS = {
    "system.info",
    "registry.read",
    "service.query",
    "event.query",
    "file.stat",
    "file.tree",
    "process.poll",
    "state.read",
}
SETUP_KEY = "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Setup"
ERRORS_KEY = SETUP_KEY + "\\OC Manager\\MasterInfs\\Errors"
POINT = "C:\\IisHotfix\\Point"
SERVICES = {
    "iis_smtp": ("SMTPSVC", "Microsoft SMTP Service", "C:\\Inetpub\\Mailroot"),
    "iis_nntp": ("NNTPSVC", "Microsoft NNTP Service", "C:\\Inetpub\\nntpfile"),
}


class Unresolved(Exception):
    pass


class OpError(Exception):
    def __init__(self, kind, code, message):
        super().__init__(message)
        self.kind, self.code, self.message = kind, code, message


def sha(data):
    return hashlib.sha256(data).hexdigest()


class FakeHost:
    def __init__(self):
        self.clock = 915_000_000  # 1998-12-30
        self.env = {"SystemDrive": "C:", "windir": "C:\\WINNT", "SystemRoot": "C:\\WINNT"}
        self.registry = {}  # casefolded key -> {casefolded name: (name, type, value)}
        self.services = {}  # casefolded name -> dict
        self.files = {}  # casefolded path -> [path, bytes, mtime]
        self.dirs = {}  # casefolded path -> path
        self.events = []
        self.records = {}
        self.locks = {}
        self.processes = {}
        self.requests = []
        self.setup_runs = []
        self.setup_polls = 1  # polls answered "running" before setup ends
        self.setup_exit = 0  # a non-zero code makes setup fail and record an error
        self.installs_work = True  # False: installed services stop with 7023 (the original INFs)
        self.disconnect_after = None  # raise a connection error on this request number
        self.outage = 1  # ... and on this many requests from there on (the client retries a few)
        self.lose_answer_of = None  # run the batch of this request number, then lose its answer
        self.refuse_programs = False  # process.start fails as for a program Windows cannot run

    # -- provisioning ------------------------------------------------------------------------------------
    def now(self):
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.clock))

    def put(self, path, data, mtime=None):
        self.files[path.casefold()] = [path, data, mtime or self.now()]
        self.mkdir(path.rsplit("\\", 1)[0])

    def mkdir(self, path):
        while len(path) > 3 and path.casefold() not in self.dirs:
            self.dirs[path.casefold()] = path
            path = path.rsplit("\\", 1)[0]

    def set_value(self, key, name, kind, value):
        self.registry.setdefault(key.casefold(), {})[name.casefold()] = (name, kind, value)

    def add_service(self, name, display, state="running"):
        self.services[name.casefold()] = {"name": name, "display_name": display, "state": state, "start_mode": "auto"}

    def tree_files(self, root):
        prefix = root.casefold().rstrip("\\") + "\\"
        return {
            path[len(prefix) :]: (data, mtime)
            for key, (path, data, mtime) in self.files.items()
            if key.startswith(prefix)
        }

    def writes(self):
        return [op for request in self.requests for op in request["operations"] if op["op"] not in READ_OPS]

    # -- protocol ----------------------------------------------------------------------------------------
    def answer(self, request):
        self.requests.append(copy.deepcopy(request))
        if self.disconnect_after is not None and len(self.requests) >= self.disconnect_after:
            self.outage -= 1
            if self.outage <= 0:
                self.disconnect_after, self.outage = None, 1
            raise ConnectionResetError("connection reset by peer")
        self.clock += 2
        values, results = {}, []
        for operation in request["operations"]:
            op, op_id = operation["op"], operation["id"]
            try:
                args = {name: self.evaluate(value, values) for name, value in (operation.get("args") or {}).items()}
                value = getattr(self, "op_" + op.replace(".", "_"))(args)
                values[op_id] = value
                results.append({"id": op_id, "op": op, "ok": True, "value": value})
            except Unresolved as exc:
                results.append(self._error(op_id, op, "unresolved_reference", None, str(exc)))
            except OpError as exc:
                results.append(self._error(op_id, op, exc.kind, exc.code, exc.message))
        if self.lose_answer_of is not None and len(self.requests) >= self.lose_answer_of:
            self.lose_answer_of = None
            raise ConnectionResetError("connection reset by peer (the answer was lost)")
        return {
            "protocol": "win-primitive-agent/1",
            "ok": True,
            "results": results,
            "error": None,
            "agent": {"name": "fake", "operations": sorted(READ_OPS), "elapsed_ms": 1},
        }

    @staticmethod
    def _error(op_id, op, kind, code, message):
        return {
            "id": op_id,
            "op": op,
            "ok": False,
            "error": {"op": op, "kind": kind, "code": code, "message": message, "exception": None},
        }

    def evaluate(self, value, values):
        if not isinstance(value, dict):
            return value
        if "$ref" in value:
            if value["$ref"] not in values:
                raise Unresolved(f"{value['$ref']} failed or is absent")
            found = values[value["$ref"]]
            for token in [t for t in (value.get("pointer") or "").split("/")[1:]]:
                token = token.replace("~1", "/").replace("~0", "~")
                if isinstance(found, list) and token.isdigit() and int(token) < len(found):
                    found = found[int(token)]
                elif isinstance(found, dict) and token in found:
                    found = found[token]
                else:
                    raise Unresolved(f"no {token}")
            if found is None:
                raise Unresolved("null")
            return found
        if "$expand" in value:
            text = self.evaluate(value["$expand"], values)
            for name, setting in self.env.items():
                text = text.replace(f"%{name}%", setting)
            return text
        if "$join" in value:
            parts = [self.evaluate(part, values) for part in value["$join"]]
            if not all(isinstance(part, str) for part in parts):
                raise Unresolved("not a string")
            parts = [part for part in parts if part]
            return "\\".join([parts[0].rstrip("\\/"), *(part.strip("\\/") for part in parts[1:])])
        if "$dirname" in value:
            text = self.evaluate(value["$dirname"], values).rstrip("\\/")
            if "\\" not in text:
                raise Unresolved("no separator")
            head = text.rsplit("\\", 1)[0]
            return head + "\\" if len(head) == 2 else head
        return value

    # -- reads -------------------------------------------------------------------------------------------
    def op_system_info(self, args):
        return {
            "time_utc": self.now(),
            "env": {name: self.env.get(name) for name in args.get("env", [])},
            "architecture": {"native": "x86"},
        }

    def op_registry_read(self, args):
        key = self.registry.get(args["path"].casefold())
        if key is None:
            return {"path": args["path"], "exists": False}
        names = args.get("values")
        if names is None:
            names = [entry[0] for entry in key.values()]
        values = {}
        for name in names:
            entry = key.get(name.casefold())
            values[name] = {"type": entry[1], "value": entry[2]} if entry else None
        return {"path": args["path"], "exists": True, "values": values}

    def op_service_query(self, args):
        service = self.services.get(args["name"].casefold())
        if service is None:
            return {"exists": False, "name": args["name"]}
        return {"exists": True, **service, "exit_code": 0 if service["state"] == "running" else 1066}

    def op_event_query(self, args):
        events = [event for event in reversed(self.events) if event["time"] >= args.get("since", "")]
        events = [event for event in events if event["event_id"] in args.get("event_ids", [event["event_id"]])]
        return {"log": args["log"], "exists": True, "scanned": len(events), "complete": True, "events": events}

    def op_file_stat(self, args):
        path = args["path"]
        entry = self.files.get(path.casefold())
        if entry is None:
            if path.casefold() in self.dirs:
                return {"path": path, "exists": True, "type": "directory", "size": None, "mtime": None}
            return {"path": path, "exists": False}
        value = {
            "path": path,
            "exists": True,
            "type": "file",
            "size": len(entry[1]),
            "mtime": entry[2],
            "attributes": ["Archive"],
        }
        if args.get("sha256"):
            value["sha256"] = sha(entry[1])
        return value

    def op_file_tree(self, args):
        root = args["path"]
        if root.casefold() not in self.dirs:
            return {"path": root, "exists": False}
        prefix = root.casefold().rstrip("\\") + "\\"
        files = []
        for relative, (data, mtime) in self.tree_files(root).items():
            entry = {"path": relative, "size": len(data), "mtime": mtime}
            if args.get("sha256", True):
                entry["sha256"] = sha(data)
            files.append(entry)
        directories = [
            {"path": path[len(prefix) :], "mtime": self.now(), "reparse_point": False}
            for key, path in self.dirs.items()
            if key.startswith(prefix)
        ]
        return {
            "path": root,
            "exists": True,
            "file_count": len(files),
            "total_bytes": sum(entry["size"] for entry in files),
            "directories": directories,
            "files": files,
        }

    def op_state_read(self, args):
        record = self.records.get(args["name"].casefold())
        return {"name": args["name"], "exists": False} if record is None else {**record, "exists": True}

    def op_process_poll(self, args):
        process = self.processes.get(args["pid"])
        if process is None or (args.get("start_time") and args["start_time"] != process["start_time"]):
            return {"pid": args["pid"], "exists": False}
        if process["state"] == "running":
            if process["polls"] <= 0:
                self._end_setup(process)
            else:
                process["polls"] -= 1
        return {
            "pid": args["pid"],
            "exists": True,
            "state": process["state"],
            "start_time": process["start_time"],
            "end_time": None,
            "exit_code": process.get("exit_code"),
        }

    # -- writes ------------------------------------------------------------------------------------------
    def op_lock_acquire(self, args):
        held = self.locks.get(args["name"].casefold())
        if held and held["owner"] != args["owner"] and held["expires"] > self.clock:
            raise OpError("lock_held", 33, f"held by {held['owner']}")
        self.locks[args["name"].casefold()] = {"owner": args["owner"], "expires": self.clock + args["ttl_seconds"]}
        return {"name": args["name"], "changed": not held, "owner": args["owner"]}

    def op_lock_release(self, args):
        held = self.locks.get(args["name"].casefold())
        if held and held["owner"] != args["owner"]:
            raise OpError("lock_held", 33, f"held by {held['owner']}")
        self.locks.pop(args["name"].casefold(), None)
        return {"name": args["name"], "changed": held is not None}

    def op_state_write(self, args):
        name = args["name"].casefold()
        if args.get("delete"):
            return {"name": args["name"], "changed": self.records.pop(name, None) is not None, "updated": None}
        value = json.loads(json.dumps(args["value"]))
        if len(json.dumps(value)) > 65536:
            raise OpError("limit_exceeded", None, "record too large")
        changed = self.records.get(name, {}).get("value") != value
        if changed:
            self.records[name] = {"name": args["name"], "updated": self.now(), "value": value}
        return {"name": args["name"], "changed": changed, "updated": self.records[name]["updated"]}

    def op_registry_write(self, args):
        key = self.registry.setdefault(args["path"].casefold(), {})
        entry = key.get(args["name"].casefold())
        previous = {"type": entry[1], "value": entry[2]} if entry else None
        if args.get("state", "present") == "absent":
            key.pop(args["name"].casefold(), None)
        else:
            key[args["name"].casefold()] = (args["name"], args["type"], args["value"])
        return {"path": args["path"], "name": args["name"], "changed": True, "previous": previous}

    def op_dir_create(self, args):
        if args["path"].casefold() in self.files:
            raise OpError("already_exists", 183, "a file has that name")
        changed = args["path"].casefold() not in self.dirs
        self.mkdir(args["path"])
        return {"path": args["path"], "changed": changed}

    def op_file_write(self, args):
        data = base64.b64decode(args["content"])
        self.put(args["path"], data)
        if args.get("expect_sha256") and args["expect_sha256"] != sha(data):
            raise OpError("checksum_mismatch", None, "mismatch")
        return {
            "path": args["path"],
            "changed": True,
            "created": True,
            "size": len(data),
            "written": len(data),
            "sha256": sha(data),
        }

    def op_file_delete(self, args):
        entry = self.files.pop(args["path"].casefold(), None)
        return {
            "path": args["path"],
            "changed": entry is not None,
            "existed": entry is not None,
            "type": "file" if entry else None,
            "files_deleted": int(entry is not None),
            "directories_deleted": 0,
        }

    def op_file_copy(self, args):
        source = self.files.get(args["src"].casefold())
        if source is None:
            raise OpError("not_found", 2, f"{args['src']} not found")
        dest = self.files.get(args["dest"].casefold())
        value = {
            "src": args["src"],
            "dest": args["dest"],
            "size": len(source[1]),
            "sha256": sha(source[1]),
            "backup": None,
        }
        if dest is not None and dest[1] == source[1]:
            return {**value, "changed": False}
        if dest is not None and args.get("overwrite") is False:
            raise OpError("already_exists", 80, f"{args['dest']} exists")
        if dest is not None and args.get("backup"):
            self.put(args["backup"], dest[1], dest[2])
            value["backup"] = {"path": args["backup"], "sha256": sha(dest[1]), "created": True}
        self.put(args["dest"], source[1], source[2])
        return {**value, "changed": True}

    def op_service_stop(self, args):
        service = self._service(args["name"])
        previous = service["state"]
        service["state"] = "stopped"
        return {
            "name": service["name"],
            "changed": previous != "stopped",
            "previous_state": previous,
            "state": "stopped",
            "timed_out": False,
            "win32_error": None,
        }

    def op_service_start(self, args):
        service = self._service(args["name"])
        previous = service["state"]
        if previous != "running":
            if service.get("broken"):
                self.events.append(
                    {
                        "record": len(self.events) + 1,
                        "time": self.now(),
                        "source": "Service Control Manager",
                        "event_id": 7023,
                        "type": "error",
                        "insertion_strings": ["", "The system cannot find the file specified."],
                        "message": "The  service terminated with the following error: ...",
                    }
                )
            else:
                service["state"] = "running"
        return {
            "name": service["name"],
            "changed": previous != "running",
            "previous_state": previous,
            "state": service["state"],
            "timed_out": False,
            "win32_error": None,
        }

    def _service(self, name):
        service = self.services.get(name.casefold())
        if service is None:
            raise OpError("not_found", 1060, f"{name} does not exist")
        return service

    def op_process_start(self, args):
        if args["executable"].casefold() not in self.files:
            raise OpError("not_found", 2, "no such program")
        if self.refuse_programs:
            raise OpError("os_error", 193, "not a valid Win32 application")
        pid = 4000 + len(self.processes)
        process = {"pid": pid, "start_time": self.now(), "state": "running", "polls": self.setup_polls, "args": args}
        self.processes[pid] = process
        self.setup_runs.append(args)
        return {
            "pid": pid,
            "start_time": process["start_time"],
            "executable": args["executable"],
            "working_directory": args.get("working_directory"),
            "command_line": "...",
        }

    def _end_setup(self, process):
        """What Option Pack setup.exe does, from its answer file (only the parts the tests need)."""
        process["state"] = "exited"
        self.registry.pop(ERRORS_KEY.casefold(), None)
        if self.setup_exit:
            process["exit_code"] = self.setup_exit
            self.set_value(ERRORS_KEY, "Ims.inf", "REG_SZ", "iis_smtp: error 2: The system cannot find the file")
            return
        answer = self.files[process["args"]["arguments"][0][3:].casefold()][1].decode("ascii")
        for line in answer.splitlines():
            name, _, state = (part.strip() for part in line.partition("="))
            if name.casefold() not in SERVICES:
                continue
            service, display, data = SERVICES[name.casefold()]
            if state.upper() == "OFF":
                self.services.pop(service.casefold(), None)
                for key in [key for key in self.files if key.startswith(data.casefold() + "\\")]:
                    del self.files[key]
                for key in [key for key in self.dirs if key == data.casefold() or key.startswith(data.casefold())]:
                    del self.dirs[key]
            elif state.upper() == "ON":
                self.add_service(service, display, "running" if self.installs_work else "stopped")
                self.services[service.casefold()]["broken"] = not self.installs_work
                for folder in ("Queue", "Pickup", "Drop", "BadMail") if service == "SMTPSVC" else ("root",):
                    self.mkdir(f"{data}\\{folder}")
        process["exit_code"] = 0


def kb_host(queue=3, articles=2):
    """IIS 4.0 in C:\\Inetsrv with SMTP and NNTP registered and failing, their data, an installation point."""
    host = FakeHost()
    inetstp = "HKLM\\SOFTWARE\\Microsoft\\InetStp"
    host.set_value(inetstp, "MajorVersion", "REG_DWORD", 4)
    host.set_value(inetstp, "InstallPath", "REG_SZ", "C:\\Inetsrv")
    host.set_value(inetstp, "PathWWWRoot", "REG_SZ", "C:\\Inetpub\\wwwroot")
    host.set_value(SETUP_KEY, "SourcePath", "REG_SZ", "D:\\")
    host.add_service("IISADMIN", "IIS Admin Service")
    for service, display in (("SMTPSVC", "Microsoft SMTP Service"), ("NNTPSVC", "Microsoft NNTP Service")):
        host.add_service(service, display, "stopped")
        host.services[service.casefold()]["broken"] = True
    for folder in ("BadMail", "Drop", "MailBox", "PickUp", "Queue", "Route", "SortTemp"):
        host.mkdir(f"C:\\Inetpub\\Mailroot\\{folder}")
    for index in range(queue):
        host.put(
            f"C:\\Inetpub\\Mailroot\\Queue\\NTFS_{index}.EML",
            f"message {index}\r\n".encode() * (index + 1),
            "1998-12-01T10:00:00Z",
        )
    for index in range(articles):
        host.put(
            f"C:\\Inetpub\\nntpfile\\root\\local\\{index:08x}.nws", f"article {index}".encode(), "1998-12-02T10:00:00Z"
        )
    host.put("C:\\Inetsrv\\Metabase.bin", b"MDBW metabase", "1998-12-03T10:00:00Z")
    for name in ("setup.exe", "setup.inf", "Ims.inf", "Ins.inf", "Imsinsc.dll"):
        host.put(f"{POINT}\\{name}", name.encode())
    return host


def data_files(host):
    """{path: sha256} of everything under Mailroot, nntpfile and the metabase: what must not be lost."""
    roots = ("c:\\inetpub\\mailroot\\", "c:\\inetpub\\nntpfile\\", "c:\\inetsrv\\metabase.bin")
    return {path: sha(data) for key, (path, data, _) in host.files.items() if key.startswith(roots)}


def make_action(connection, args, *, check_mode=False, diff=False):
    task = types.SimpleNamespace(
        args=dict(args), check_mode=check_mode, diff=diff, async_val=0, action="winops.iis_hotfix.iis_component"
    )
    action = ActionModule(task, connection, PlayContext(), DataLoader(), None, None)
    action._load_name = "winops.iis_hotfix.iis_component"
    return action


def run_task(windows_connection, host, args, **options):
    connection = windows_connection(host.answer)
    result = make_action(connection, args, **options).run(task_vars={"inventory_hostname": "iis4"})
    return result, connection
