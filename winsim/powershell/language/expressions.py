"""Compiling expressions to closures `ev(frame) -> value` (SPEC ch07)."""

from __future__ import annotations

import decimal

from winsim.powershell.automation import errors
from winsim.powershell.automation.references import PSReference
from winsim.powershell.automation.signals import NotModelled
from winsim.powershell.clr import values
from winsim.powershell.language import strings
from winsim.powershell.language.parser import named, text_of
from winsim.powershell.semantics import arithmetic, binder, comparison, conversions, enumeration
from winsim.powershell.semantics.collections import new_hashtable
from winsim.powershell.semantics.types import resolve

_BINARY = {"logical_expression", "bitwise_expression", "comparison_expression", "additive_expression",
           "multiplicative_expression", "format_expression", "range_expression", "logical_argument_expression",
           "bitwise_argument_expression", "comparison_argument_expression", "additive_argument_expression",
           "multiplicative_argument_expression", "format_argument_expression", "range_argument_expression",
           "argument_expression"}
_MULTIPLIERS = {"kb": 1024, "mb": 1024 ** 2, "gb": 1024 ** 3, "tb": 1024 ** 4, "pb": 1024 ** 5}
_CONSTANTS = {"true": True, "false": False, "null": None}


class ExpressionCompiler:
    """Mixed into the Compiler (compiler.py), which provides statement and pipeline compilation."""

    def expr(self, node):
        kind = node.type
        if kind in _BINARY or kind == "array_literal_expression" or kind == "unary_expression":
            children = named(node)
            if len(children) == 1 and node.child_count == 1:
                return self.expr(children[0])
            if kind == "array_literal_expression":
                return self._array_literal(children)
            if kind == "unary_expression":
                return self.expr(children[0])
            return self._binary(node)
        method = getattr(self, "x_" + kind, None)
        if method is None:
            raise NotModelled(f"the expression {kind}", node.start_point[0] + 1)
        return method(node)

    # -- literals ---------------------------------------------------------------------------------------------
    def x_integer_literal(self, node):
        return constant(self._number(text_of(node)))

    def x_real_literal(self, node):
        return constant(self._number(text_of(node)))

    def _number(self, text: str):
        lower = text.lower()
        multiplier = 1
        if lower[-2:] in _MULTIPLIERS:
            multiplier, lower = _MULTIPLIERS[lower[-2:]], lower[:-2]
        if lower.startswith("0x"):
            long_suffix = lower.endswith("l")
            number = int(lower[2:].rstrip("l"), 16) * multiplier
            if not long_suffix and number <= 0xFFFFFFFF:
                return number - 0x100000000 if number > values.INT32_MAX else number
            return values.Int64(number if number <= values.Int64.maximum else number - 2 ** 64)
        if lower.endswith("d") and not lower.startswith("0x"):
            return decimal.Decimal(lower[:-1]) * multiplier
        if lower.endswith("l"):
            return values.Int64(int(decimal.Decimal(lower[:-1]) * multiplier))
        if any(c in lower for c in ".e"):
            value = float(lower) * multiplier
            return value
        number = int(lower) * multiplier
        if number <= values.INT32_MAX:
            return number
        if number <= values.Int64.maximum:
            return values.Int64(number)
        return decimal.Decimal(number) if number < 2 ** 96 else float(number)

    def x_string_literal(self, node):
        text = text_of(node)
        if not strings.is_expandable(text):
            return constant(strings.verbatim(text))
        return self.expandable(strings.expandable_parts(text), node)

    x_expandable_string_literal = x_string_literal
    x_expandable_here_string_literal = x_string_literal

    def expandable(self, parts, node):
        compiled = []
        for part in parts:
            if isinstance(part, str):
                compiled.append(part)
            elif part[0] == "var":
                compiled.append(self.variable_reader(part[1], node))
            else:
                compiled.append(self.subexpression_source(part[1], node))
        if all(isinstance(p, str) for p in compiled):
            value = "".join(compiled)
            return lambda frame: value
        to_string = conversions.to_string

        def expand(frame):
            rt = frame.rt
            return "".join(p if isinstance(p, str) else to_string(p(frame), rt) for p in compiled)
        return expand

    def x_hash_literal_expression(self, node):
        body = next((c for c in named(node) if c.type == "hash_literal_body"), None)
        entries = []
        for entry in named(body) if body is not None else []:
            key_node, value_node = named(entry)[0], named(entry)[-1]
            entries.append((self._hash_key(key_node), self.pipeline_value(value_node)))

        def make(frame):
            table = new_hashtable()
            for key, value in entries:
                k = key(frame)
                if k in table:
                    raise errors.runtime_error(f"Duplicate keys '{k}' are not allowed in hash literals.",
                                               "DuplicateKeyInHashLiteral", "ParserError")
                table[k] = value(frame)
            return table
        return make

    def _hash_key(self, node):
        inner = named(node)
        if inner and inner[0].type == "simple_name":
            name = text_of(inner[0])
            return lambda frame: name
        if inner:
            return self.expr(inner[0])
        name = text_of(node)
        return lambda frame: name

    def x_array_expression(self, node):
        body = next((c for c in named(node) if c.type == "statement_list"), None)
        if body is None:
            return lambda frame: enumeration.new_array()
        run = self.statement_list(body)

        def make(frame):
            out: list = []
            run(frame, out)
            return enumeration.new_array(out)
        return make

    def x_sub_expression(self, node):
        body = next((c for c in named(node) if c.type == "statement_list"), None)
        if body is None:
            return lambda frame: None
        run = self.statement_list(body)

        def make(frame):
            out: list = []
            run(frame, out)
            return capture(out)
        return make

    def x_left_assignment_expression(self, node):
        return self.expr(named(node)[0])

    def x_parenthesized_expression(self, node):
        inner = self.pipeline_value(named(node)[0])
        outputs = getattr(inner, "outputs", None)
        if outputs is not None:
            # `(command)` written as a statement writes the command's objects: nothing stays nothing.
            def grouped(frame):
                return capture(outputs(frame))
            grouped.group_outputs = outputs
            return grouped
        if getattr(inner, "no_output", False):
            return lambda frame: inner(frame)  # (++$i) and ($a = 5) write their value
        return inner

    def x_script_block_expression(self, node):
        block = next((c for c in named(node) if c.type == "script_block"), None)
        definition = self.script_block(block, node)
        from winsim.powershell.automation.scriptblock import ScriptBlock
        return lambda frame: ScriptBlock(definition, frame.scope)

    def _array_literal(self, children):
        items = [self.expr(c) for c in children]
        return lambda frame: enumeration.new_array([item(frame) for item in items])

    # -- variables --------------------------------------------------------------------------------------------
    def x_variable(self, node):
        return self.variable_reader(variable_name(text_of(node)), node)

    x_braced_variable = x_variable

    def variable_reader(self, name: str, node):
        lower = name.lower()
        if lower in _CONSTANTS:
            value = _CONSTANTS[lower]
            return lambda frame: value
        scope, _, bare = lower.rpartition(":")
        if scope == "env":
            return lambda frame: frame.session.environment_variable(bare)
        if scope in ("script", "global"):
            return lambda frame: frame.session.scope_for(frame, scope).lookup(bare)
        if scope in ("local", "private"):
            return lambda frame: frame.scope.variables.get(bare)
        if scope == "variable":
            lower = bare
        elif scope:
            raise NotModelled(f"the variable drive {scope}:", node.start_point[0] + 1)
        if lower == "input":
            return lambda frame: frame.session.input_enumerator(frame)
        special = self.session_variable(lower)
        if special is not None:
            return special
        missing = _MISSING
        automation_null = AUTOMATION_NULL

        def read(frame):
            scope = frame.scope
            while scope is not None:
                value = scope.variables.get(lower, missing)
                if value is not missing:
                    return None if value is automation_null else value
                scope = scope.parent
            return unset(frame.scope)

        def read_raw(frame):
            # Where "nothing" differs from $null: a statement or the head of a pipeline.
            scope = frame.scope
            while scope is not None:
                value = scope.variables.get(lower, missing)
                if value is not missing:
                    return value
                scope = scope.parent
            return unset(frame.scope)

        def lookup(start):
            scope = start
            while scope is not None:
                value = scope.variables.get(lower, missing)
                if value is not missing:
                    return None if value is automation_null else value
                scope = scope.parent
            return unset(start)

        def unset(scope):
            # Set-StrictMode 1+: reading a variable never set is an error (ABOUT Set-StrictMode).
            if scope.strict_level():
                raise errors.terminating(errors.RuntimeException(
                    f"The variable '${name}' cannot be retrieved because it has not been set.",
                    error_id="VariableIsUndefined", category="InvalidOperation", target=name))
        read.raw_variable = read_raw
        read.variable_lookup = lookup
        return read

    # -- operators ----------------------------------------------------------------------------------------------
    def _binary(self, node):
        children = node.children
        left = self.expr(children[0])
        right = self.expr(children[-1])
        op_node = children[1]
        op = text_of(op_node).lower()
        line = node.start_point[0] + 1
        return self.binary_operator(op, left, right, line)

    def binary_operator(self, op: str, left, right, line: int):
        if op in ("-and", "-or"):
            is_true = conversions.is_true

            # Operands that already are bools (comparisons) decide without a conversion call.
            if op == "-and":
                def run_and(f):
                    a = left(f)
                    if not (a is True or (a is not False and is_true(a, f.session.version))):
                        return False
                    b = right(f)
                    return b is True or (b is not False and is_true(b, f.session.version))
                return run_and

            def run_or(f):
                a = left(f)
                if a is True or (a is not False and is_true(a, f.session.version)):
                    return True
                b = right(f)
                return b is True or (b is not False and is_true(b, f.session.version))
            return run_or
        if op == "-xor":
            return lambda f: conversions.is_true(left(f)) != conversions.is_true(right(f))
        simple = {"+": arithmetic.add, "-": arithmetic.subtract, "*": arithmetic.multiply, "/": arithmetic.divide,
                  "%": arithmetic.modulus}.get(op)
        if simple is not None:
            return lambda f: simple(left(f), right(f), f.rt)
        if op in ("-band", "-bor", "-bxor"):
            name = op[1:]
            return lambda f: arithmetic.bitwise(name, left(f), right(f))
        if op in ("-shl", "-shr"):
            self.require_version((3, 0), op, line)
            name = op[1:]
            return lambda f: arithmetic.shift(name, left(f), right(f))
        if op == "..":
            return lambda f: arithmetic.range_values(left(f), right(f))
        if op == "-f":
            return lambda f: format_operator(f, left(f), right(f))
        if op in ("-is", "-isnot"):
            negate = op == "-isnot"
            is_instance = conversions.is_instance
            if getattr(right, "type_literal", False):
                return lambda f: is_instance(left(f), right(f)) != negate  # `-is [T]`: the type is known
            return lambda f: is_instance(left(f), self.type_operand(f, right(f))) != negate
        if op == "-as":
            return lambda f: as_operator(f, left(f), self.type_operand(f, right(f)))
        if op in ("-join",):
            return lambda f: join_operator(f, left(f), right(f))
        if op in ("-split", "-isplit", "-csplit"):
            from winsim.powershell.language.text_operators import split_operator
            case = op == "-csplit"
            return lambda f: split_operator(left(f), right(f), case)
        if op in ("-replace", "-ireplace", "-creplace"):
            from winsim.powershell.language.text_operators import replace_operator
            case = op == "-creplace"
            return lambda f: replace_operator(left(f), right(f), case)
        return self._comparison(op, left, right, line)

    def _comparison(self, op: str, left, right, line: int):
        body = op[1:]
        case_sensitive = False
        if body[:1] in ("c", "i") and body[1:] in _COMPARISONS:
            case_sensitive, body = body[0] == "c", body[1:]
        if body not in _COMPARISONS:
            raise NotModelled(f"the operator {op}", line)
        if body in ("in", "notin"):
            self.require_version((3, 0), op, line)

        scalar = comparison.SCALAR.get(body)
        is_enumerable = enumeration.is_enumerable
        if scalar is not None:
            # The common case without the general dispatch: a scalar on the left.
            known = enumeration.ENUMERABLE_BY_TYPE

            def run_scalar(f):
                a = left(f)
                enumerable = known.get(type(a))
                if enumerable or (enumerable is None and is_enumerable(a)):
                    return comparison.compare_operator(body, a, right(f), case_sensitive, f.rt)
                return scalar(a, right(f), case_sensitive, f.rt)
            return run_scalar

        def run(f):
            return comparison.compare_operator(body, left(f), right(f), case_sensitive, f.rt,
                                               lambda m: set_matches(f, m))
        return run

    def type_operand(self, frame, value):
        from winsim.powershell.semantics.types import TypeObject
        if isinstance(value, TypeObject):
            return value
        name = conversions.to_string(value)
        found = resolve(name, frame.session.version)
        if found is None:
            raise errors.type_not_found(name)
        return found


_MISSING = object()


class _AutomationNull:
    """3.0+: what a variable holds when assigned a command's empty output. It reads as $null, but written
    as a statement or piped it gives nothing (semantics reference §3.2, DEEP null#Enumerable null)."""

    def __repr__(self) -> str:
        return "AutomationNull"


AUTOMATION_NULL = _AutomationNull()


def capture_for_assignment(frame, out: list):
    if not out and frame.session.version >= (3, 0):
        return AUTOMATION_NULL
    return capture(out)
_COMPARISONS = {"eq", "ne", "gt", "ge", "lt", "le", "like", "notlike", "match", "notmatch", "contains",
                "notcontains", "in", "notin"}


def constant(value):
    """A literal's closure; `.constant` lets a cast of it be computed once."""
    def literal(frame):
        return value
    literal.constant = value
    return literal


def variable_name(text: str) -> str:
    """`$name`, `${name}`, `@name` (splat) -> name."""
    name = text[1:]
    if name.startswith("{") and name.endswith("}"):
        name = name[1:-1]
    return name


def capture(out: list):
    """A pipeline's output as one value: nothing -> $null, one object -> itself, more -> object[]."""
    if not out:
        return None
    if len(out) == 1:
        return out[0]
    return enumeration.new_array(out)


def set_matches(frame, match) -> None:
    table = new_hashtable()
    names = {index: name for name, index in match.re.groupindex.items()}
    for index in range(match.re.groups + 1):
        group = match.group(index)
        if group is not None:
            table[names.get(index, index)] = group
    frame.scope.variables["matches"] = table


def as_operator(frame, value, target):
    try:
        converted = conversions.convert(value, target, frame.rt)
    except errors.PSError:
        return None
    if converted is None and value is not None:
        return None
    return converted


def join_operator(frame, left, right):
    separator = conversions.to_string(right, frame.rt)
    return separator.join(conversions.to_string(item, frame.rt) for item in enumeration.items_of(left)) \
        if left is not None else ""


def format_operator(frame, fmt, args):
    items = list(enumeration.iterate(args)) if enumeration.is_enumerable(args) else [args]
    string_type = resolve("System.String")
    return binder.invoke_static(string_type, "Format", [conversions.to_string(fmt), values.ClrArray(items)],
                                frame.rt)


def reference_to_value(value) -> PSReference:
    return value if isinstance(value, PSReference) else PSReference.holding(value)
