"""WQL data queries, as WMI reads them: SELECT properties FROM class [WHERE condition].

Conditions compare a property with a literal (=, <>, !=, <, >, <=, >=, LIKE with % and _), combine with AND,
OR, NOT and parentheses, and test IS [NOT] NULL. String comparisons ignore case, as WMI's do. A query WMI
would reject raises WqlError (WBEM_E_INVALID_QUERY), an unknown class WBEM_E_INVALID_CLASS.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_QUERY = re.compile(r"^\s*SELECT\s+(?P<select>.+?)\s+FROM\s+(?P<cls>\w+)(?:\s+WHERE\s+(?P<where>.+?))?\s*$",
                    re.IGNORECASE | re.DOTALL)
_TOKEN = re.compile(r"""\s*(?:(?P<string>'(?:[^']|'')*'|"(?:[^"]|"")*")|(?P<number>-?\d+(?:\.\d+)?)|"""
                    r"""(?P<op><>|!=|<=|>=|=|<|>|\(|\))|(?P<word>[A-Za-z_][A-Za-z_0-9]*))""")


class WqlError(Exception):
    """The query is not valid WQL (or names a property the class does not have)."""


@dataclass(frozen=True)
class Query:
    class_name: str
    properties: tuple[str, ...] | None      # None: SELECT *
    condition: Callable[[dict[str, Any]], bool]


def _tokens(text: str) -> list[tuple[str, Any]]:
    out, position = [], 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None:
            raise WqlError(text)
        position = match.end()
        if match["string"] is not None:
            quote = match["string"][0]
            out.append(("value", match["string"][1:-1].replace(quote * 2, quote)))
        elif match["number"] is not None:
            number = match["number"]
            out.append(("value", float(number) if "." in number else int(number)))
        elif match["op"] is not None:
            out.append(("op", match["op"]))
        else:
            word = match["word"]
            upper = word.upper()
            if upper in ("TRUE", "FALSE"):
                out.append(("value", upper == "TRUE"))
            elif upper == "NULL":
                out.append(("null", None))
            elif upper in ("AND", "OR", "NOT", "LIKE", "IS"):
                out.append(("keyword", upper))
            else:
                out.append(("name", word))
    return out


def _like(pattern: str) -> re.Pattern[str]:
    regex = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
    return re.compile(regex, re.IGNORECASE | re.DOTALL)


def _compare(left: Any, op: str, right: Any) -> bool:
    if left is None or right is None:
        return False
    if isinstance(left, str) or isinstance(right, str):
        left, right = str(left).casefold(), str(right).casefold()
    elif isinstance(left, bool) or isinstance(right, bool):
        left, right = bool(left), bool(right)
    try:
        return {"=": left == right, "<>": left != right, "!=": left != right, "<": left < right,
                ">": left > right, "<=": left <= right, ">=": left >= right}[op]
    except TypeError:
        return False


class _Parser:
    def __init__(self, tokens: list[tuple[str, Any]], known: Callable[[str], bool]) -> None:
        self.tokens = tokens
        self.index = 0
        self.known = known

    def peek(self) -> tuple[str, Any] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> tuple[str, Any]:
        token = self.peek()
        if token is None:
            raise WqlError("unexpected end of query")
        self.index += 1
        return token

    def expression(self) -> Callable[[dict], bool]:
        left = self.term()
        while self.peek() == ("keyword", "OR"):
            self.take()
            right, first = self.term(), left
            left = lambda row, a=first, b=right: a(row) or b(row)  # noqa: E731
        return left

    def term(self) -> Callable[[dict], bool]:
        left = self.factor()
        while self.peek() == ("keyword", "AND"):
            self.take()
            right, first = self.factor(), left
            left = lambda row, a=first, b=right: a(row) and b(row)  # noqa: E731
        return left

    def factor(self) -> Callable[[dict], bool]:
        token = self.take()
        if token == ("keyword", "NOT"):
            inner = self.factor()
            return lambda row: not inner(row)
        if token == ("op", "("):
            inner = self.expression()
            if self.take() != ("op", ")"):
                raise WqlError("missing )")
            return inner
        if token[0] != "name" or not self.known(token[1]):
            raise WqlError(f"not a property: {token[1]!r}")
        name = token[1].casefold()
        operator = self.take()
        if operator == ("keyword", "IS"):
            negate = self.peek() == ("keyword", "NOT")
            if negate:
                self.take()
            if self.take()[0] != "null":
                raise WqlError("IS needs NULL")
            return lambda row: (row.get(name) is None) != negate
        value = self.take()
        if value[0] not in ("value", "null"):
            raise WqlError("a comparison needs a literal")
        if operator == ("keyword", "LIKE"):
            pattern = _like(str(value[1]))
            return lambda row: row.get(name) is not None and bool(pattern.fullmatch(str(row.get(name))))
        if operator[0] != "op" or operator[1] in "()":
            raise WqlError(f"not an operator: {operator[1]!r}")
        return lambda row: _compare(row.get(name), operator[1], value[1])


def parse(text: str, properties_of: Callable[[str], list[str] | None]) -> Query:
    """The query; `properties_of(class)` lists a class's properties (None: no such class -> KeyError)."""
    match = _QUERY.match(text or "")
    if match is None:
        raise WqlError(text)
    class_name = match["cls"]
    known_names = properties_of(class_name)
    if known_names is None:
        raise KeyError(class_name)
    known = {n.casefold(): n for n in known_names}
    select = match["select"].strip()
    if select == "*":
        chosen = None
    else:
        chosen = tuple(p.strip() for p in select.split(","))
        if any(p.casefold() not in known for p in chosen):
            raise WqlError(select)
        chosen = tuple(known[p.casefold()] for p in chosen)
    condition: Callable[[dict], bool] = lambda row: True  # noqa: E731
    if match["where"]:
        parser = _Parser(_tokens(match["where"]), lambda n: n.casefold() in known)
        condition = parser.expression()
        if parser.peek() is not None:
            raise WqlError(match["where"])
    return Query(class_name, chosen, condition)
