"""Parsing with tree-sitter-powershell, cached by source text; syntax the grammar cannot read is reported
as NotModelled naming the line (the interpreter never guesses)."""

from __future__ import annotations

import functools
import re

import tree_sitter
import tree_sitter_powershell

from winsim.powershell.automation.signals import NotModelled

_EMPTY_HERE = re.compile(r"@(['\"])(\r?\n)\1@")
_LANGUAGE = tree_sitter.Language(tree_sitter_powershell.language())
_PARSER = tree_sitter.Parser(_LANGUAGE)
_COMMENTS = tree_sitter.Query(_LANGUAGE, "(comment) @comment")
# Where the grammar puts a comment between statements; anywhere else (between operands, inside a command) the
# compiler, which reads children by position, would take it for an operand or an operator.
_BETWEEN_STATEMENTS = frozenset({"program", "statement_list", "statement_block", "script_block", "script_block_body",
                                 "param_block", "named_block", "named_block_list", "switch_body", "switch_clauses",
                                 "hash_literal_body", "class_statement", "ERROR"})


@functools.lru_cache(maxsize=256)
def parse(source: str) -> tree_sitter.Tree:
    from winsim.powershell.language import rewrites
    if rewrites.REAL_WITHOUT_FRACTION.search(source):
        source = rewrites.complete_real_literals(source)
    data = source.encode("utf-8")
    tree = _PARSER.parse(data)
    blanked = _blank_inner_comments(data, tree)
    if blanked is not None:
        data, tree = blanked, _PARSER.parse(blanked)
        source = blanked.decode("utf-8")
    if tree.root_node.has_error:
        from winsim.powershell.language.rewrites import (
            expand_switch_options,
            fill_empty_blocks,
            quote_keyword_methods,
            rewrite_suffixes,
        )
        # An empty here-string is '' (kept over two lines so no line moves).
        rewritten = _EMPTY_HERE.sub(lambda m: "(" + m.group(1) * 2 + m.group(2) + ")", rewrite_suffixes(source))
        rewritten = quote_keyword_methods(expand_switch_options(fill_empty_blocks(rewritten)))
        if rewritten != source:
            data = rewritten.encode("utf-8")
            tree = _PARSER.parse(data)
    for _ in range(50):
        if not tree.root_node.has_error:
            break
        repaired = _repair(data, _first_error(tree.root_node))
        if repaired is None:
            break
        data = repaired
        tree = _PARSER.parse(data)
    # A zero-width MISSING statement terminator (no visible node) changes nothing the compiler reads.
    bad = _first_error(tree.root_node) if tree.root_node.has_error else None
    if bad is not None:
        _raise_if_genuine_syntax_error(data, bad)
        line = bad.start_point[0] + 1 if bad is not None else None
        text = bad.text.decode("utf-8", "replace")[:60] if bad is not None else ""
        raise NotModelled(f"syntax the parser cannot read ({text!r})", line)
    return tree


def _blank_inner_comments(data: bytes, tree: tree_sitter.Tree) -> bytes | None:
    """The source with every comment turned into spaces (lines kept) when one sits inside a statement: a comment
    may appear wherever white space may (lang-spec §2.2.3), `'x' <# c #> + 'y'` is `'x' + 'y'`."""
    nodes = [node for nodes in _captures(tree.root_node).values() for node in nodes]
    if not any(node.parent is not None and node.parent.type not in _BETWEEN_STATEMENTS for node in nodes):
        return None
    edited = bytearray(data)
    for node in nodes:
        for at in range(node.start_byte, node.end_byte):
            if edited[at] not in (0x0A, 0x0D):
                edited[at] = 0x20
    return bytes(edited)


def _captures(root: tree_sitter.Node) -> dict:
    if hasattr(tree_sitter, "QueryCursor"):  # py-tree-sitter 0.25 moved captures to QueryCursor
        return tree_sitter.QueryCursor(_COMMENTS).captures(root)
    return _COMMENTS.captures(root)


# Binary and assignment operators: an expression that ends right after one lacks its right operand.
_OPERATORS = frozenset({
    "+", "-", "*", "/", "%", "=", "+=", "-=", "*=", "/=", "%=", "..", "-f", "-and", "-or", "-xor", "-band", "-bor",
    "-bxor", "-shl", "-shr", "-join", "-split", "-replace", "-is", "-isnot", "-as", "-eq", "-ne", "-gt", "-ge", "-lt",
    "-le", "-like", "-notlike", "-match", "-notmatch", "-contains", "-notcontains", "-in", "-notin"})


def _raise_if_genuine_syntax_error(data: bytes, bad: tree_sitter.Node) -> None:
    """Input PowerShell's own parser refuses (so the script is a ParseException, not a gap of the grammar): an
    operator with nothing after it at the end of the input (`'a' +`)."""
    if bad.type != "ERROR":
        return
    tokens = [c for c in bad.children if c.type != "comment" and not c.is_missing
              and data[c.start_byte:c.end_byte].strip(b" \t\r\n\0")]
    if not tokens or (tokens[-1].is_named and not tokens[-1].type.endswith("_operator")):
        return
    if data[tokens[-1].end_byte:].strip(b" \t\r\n\0"):
        return
    operator = text_of(tokens[-1])
    operator = operator if not operator.startswith("-") else operator.lower()
    base = "-" + operator[2:] if operator[:2] in ("-c", "-i") and operator not in _OPERATORS else operator
    if operator in _OPERATORS or base in _OPERATORS:
        from winsim.powershell.automation.errors import parse_error
        # ParserStrings ExpectedValueExpression: 3.0+ wording; 2.0 said "on the right-hand side of" (as logged
        # by Windows 7's PowerShell 2.0 in public build scripts)
        raise parse_error(f"You must provide a value expression following the '{operator}' operator.",
                          "ExpectedValueExpression", message_v2="You must provide a value expression on the "
                          f"right-hand side of the '{operator}' operator.")


def _first_error(node: tree_sitter.Node) -> tree_sitter.Node | None:
    if node.is_missing and node.type == ">" and _is_parameter_digits(node):
        return None  # `-p2`: read as -p and a redirection '2' missing its '>'; the compiler joins them
    if node.is_missing and node.parent is not None and node.parent.type == "command_argument_sep":
        return None  # `Write-Output $a+2`: no space between two elements; the compiler glues them
    if node.type == "ERROR" or node.is_missing:
        return node
    for child in node.children:
        if child.has_error or child.type == "ERROR" or child.is_missing:
            found = _first_error(child)
            if found is not None:
                return found
    return None


def _is_parameter_digits(missing: tree_sitter.Node) -> bool:
    redirection = missing.parent.parent if missing.parent is not None else None
    previous = redirection.prev_named_sibling if redirection is not None else None
    while previous is not None and previous.type == "command_argument_sep":
        previous = previous.prev_named_sibling
    return redirection is not None and redirection.type == "redirection" and previous is not None and \
        previous.type == "command_parameter"


def text_of(node: tree_sitter.Node) -> str:
    return node.text.decode("utf-8")


def named(node: tree_sitter.Node) -> list[tree_sitter.Node]:
    """Named children, without comments."""
    return [c for c in node.named_children if c.type != "comment"]


def _repair(data: bytes, bad: tree_sitter.Node | None) -> bytes | None:
    """Grammar gaps of tree-sitter-powershell where PowerShell itself parses fine, bridged by an edit that
    keeps every line where it was: a statement right after `param(...)` or a switch clause on the same line
    (a `;` is inserted), `break label` / `continue label` (read as `break :label`), and a variable followed
    by a quoted string in argument mode (`$a"text"`, rewritten as one double-quoted string)."""
    if bad is None:
        return None
    quoted = _variable_then_quote(data, bad)
    if quoted is not None:
        return quoted
    if bad.is_missing:
        if "terminator" not in bad.type:
            return None
        return data[:bad.start_byte] + b";" + data[bad.start_byte:]
    children = bad.children
    for index, child in enumerate(children):
        if child.type in ("break", "continue") and index + 1 < len(children) and \
                children[index + 1].type == "simple_name":
            at = children[index + 1].start_byte
            while data[at:at + 1] == b" ":
                at += 1
            return data[:at] + b":" + data[at:]
        if child.type == "param_block" or (child.type == "statement_block" and index + 1 < len(children)):
            at = child.end_byte
            return data[:at] + b";" + data[at:]
    return None


def _variable_then_quote(data: bytes, bad: tree_sitter.Node) -> bytes | None:
    """`f $a"text"` / `f $a'text'` (one argument in PowerShell, about_Parsing) as `f "$($a)text"`: the same
    expansion, written as one double-quoted string the grammar reads."""
    if bad.type != "ERROR":
        return None
    variable = None
    for node in _descendants(bad):
        if node.type == "variable" and data[node.end_byte:node.end_byte + 1] in (b"'", b'"') and \
                data[node.start_byte - 1:node.start_byte] in (b" ", b"\t") and not _in_string(node):
            variable = node
            break
    if variable is None:
        return None
    start, quote = variable.end_byte, data[variable.end_byte:variable.end_byte + 1]
    end = start + 1
    while end < len(data):
        if quote == b'"' and data[end:end + 1] == b"`":
            end += 2
            continue
        if data[end:end + 1] == quote:
            if data[end + 1:end + 2] == quote:
                end += 2
                continue
            break
        end += 1
    if end >= len(data):
        return None
    body = data[start + 1:end]
    if quote == b"'":  # verbatim text inside a double-quoted string: escape what would expand
        body = body.replace(b"''", b"'").replace(b"`", b"``").replace(b"$", b"`$").replace(b'"', b'`"')
    name = data[variable.start_byte:variable.end_byte]
    return data[:variable.start_byte] + b'"$(' + name + b")" + body + b'"' + data[end + 1:]


def _in_string(node: tree_sitter.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if "string" in parent.type:
            return True
        parent = parent.parent
    return False


def _descendants(node: tree_sitter.Node):
    for child in node.children:
        yield child
        yield from _descendants(child)
