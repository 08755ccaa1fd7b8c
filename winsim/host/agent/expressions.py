"""Value expressions ($ref, $expand, $join, $dirname): evaluated as data just before an operation runs.

Only an argument's own value is evaluated (members of lists or plain objects are left as they are), and the
parts of $expand, $join and $dirname, which may themselves be expressions, at most MAX_DEPTH levels deep.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from winsim.host.agent.errors import invalid_argument, unresolved
from winsim.host.agent.jsonio import JsonObject
from winsim.host.environment import expand

MAX_DEPTH = 16
_KEYS = ("$ref", "$expand", "$join", "$dirname")
_INDEX = re.compile(r"\s*[+-]?\d+\s*")


def resolve_arguments(arguments: Mapping[str, Any], results: Mapping[str, dict], env: Mapping[str, str]
                      ) -> JsonObject:
    return JsonObject([(name, resolve(value, results, env)) for name, value in arguments.items()])


def resolve(value: Any, results: Mapping[str, dict], env: Mapping[str, str], depth: int = 1) -> Any:
    if not isinstance(value, Mapping):
        return value
    if depth > MAX_DEPTH:
        raise invalid_argument(f"expressions are nested more than {MAX_DEPTH} levels deep")
    if "$ref" in value:
        return _reference(value, results)
    if "$expand" in value:
        return expand(_string(value["$expand"], results, env, depth, "$expand"), env)
    if "$join" in value:
        parts = value["$join"]
        if not isinstance(parts, list):
            raise invalid_argument("$join needs a list")
        joined = ""
        for part in parts:
            text = _string(part, results, env, depth, "$join")
            if not joined:
                joined = text.rstrip("\\/")
            elif segment := text.strip("\\/"):
                joined += "\\" + segment
        return joined
    if "$dirname" in value:
        text = _string(value["$dirname"], results, env, depth, "$dirname").rstrip("\\/")
        cut = max(text.rfind("\\"), text.rfind("/"))
        if cut < 0:
            raise unresolved(f"'{text}' has no parent directory")
        return text[:3] if cut == 2 and text[1] == ":" else text[:cut]
    return value


def _string(value: Any, results: Mapping[str, dict], env: Mapping[str, str], depth: int, context: str) -> str:
    resolved = resolve(value, results, env, depth + 1)
    if not isinstance(resolved, str):
        raise unresolved(f"{context} needs a string value")
    return resolved


def _reference(expression: Mapping[str, Any], results: Mapping[str, dict]) -> Any:
    target, pointer = expression["$ref"], expression.get("pointer")
    if not isinstance(target, str):
        raise invalid_argument("$ref must name an operation id")
    pointer = "" if pointer is None else pointer
    if not isinstance(pointer, str) or (pointer and not pointer.startswith("/")):
        raise invalid_argument("pointer must be a JSON pointer such as /values/Name/value")
    entry = results.get(target)
    if entry is None:
        raise invalid_argument(f"no earlier operation has id '{target}'")
    if not entry["ok"]:
        raise unresolved(f"operation '{target}' failed")
    current = entry["value"]
    if pointer:
        for token in pointer[1:].split("/"):
            name = token.replace("~1", "/").replace("~0", "~")
            if isinstance(current, Mapping) and name in current:
                current = current[name]
            elif isinstance(current, list) and _INDEX.fullmatch(name) and 0 <= int(name) < len(current):
                current = current[int(name)]
            else:
                raise unresolved(f"'{pointer}' does not exist in the result of '{target}'")
    if current is None:
        raise unresolved(f"'{pointer}' of '{target}' is null")
    return current
