"""Compiling member access, method calls, indexing, casts and unary operators (assignment: assignments.py)."""

from __future__ import annotations

from winsim.powershell.automation import errors
from winsim.powershell.automation.references import PSReference
from winsim.powershell.automation.signals import NotModelled
from winsim.powershell.language.parser import named, text_of
from winsim.powershell.semantics import arithmetic, binder, conversions, enumeration
from winsim.powershell.semantics.collections import new_ordered
from winsim.powershell.semantics.types import TypeObject, resolve


def unwrap(node):
    """The innermost node of a chain of single-child expression wrappers."""
    while node.named_child_count == 1 and node.child_count == 1 and node.type not in (
            "variable", "string_literal", "integer_literal", "real_literal", "type_literal", "command"):
        node = node.named_children[0]
    return node


class MemberCompiler:
    def _target_and_name(self, node):
        children = node.children
        target = children[0]
        static = children[1].type == "::"
        name_node = next(c for c in children if c.type == "member_name")
        inner = named(name_node)
        if (inner and inner[0].type == "simple_name") or not inner:
            name = text_of(name_node)
            name_fn = None
        elif inner[0].type == "string_literal" and text_of(inner[0]).startswith("'"):
            name = text_of(inner[0])[1:-1].replace("''", "'")  # `$x.'Name'`: a constant name
            name_fn = None
        else:
            name = None
            dynamic = self.expr(inner[0])
            name_fn = lambda f: conversions.to_string(dynamic(f))  # noqa: E731
        return target, static, name, name_fn

    def x_member_access(self, node):
        target_node, static, name, name_fn = self._target_and_name(node)
        if static:
            type_fn = self.type_value(target_node)
            if name is not None:
                return lambda f: binder.get_static(type_fn(f), name, f.rt)
            return lambda f: binder.get_static(type_fn(f), name_fn(f), f.rt)
        target = self.expr(target_node)
        if name is not None:
            site = binder.member_site(name)
            reader = getattr(target, "variable_lookup", None)
            if reader is not None:
                return lambda f: site(reader(f.scope), f.rt)  # $var.Name in one step
            return lambda f: site(target(f), f.rt)
        return lambda f: binder.get_member(target(f), name_fn(f), f.rt)

    def x_invokation_expression(self, node):
        return self.method_call(node, next(c for c in node.children if c.type == "argument_list"))

    def method_call(self, node, arg_list):
        """`target.Name(args)` / `[T]::Name(args)`; in command mode the grammar gives the member access and the
        argument list as siblings, so they arrive separately."""
        target_node, static, name, _ = self._target_and_name(node)
        if name is None:
            raise NotModelled("a method name given by an expression", node.start_point[0] + 1)
        args_node = next((c for c in named(arg_list) if c.type == "argument_expression_list"), None)
        args = self.argument_closures(named(args_node)) if args_node is not None else []
        if static:
            type_fn = self.type_value(target_node)
            static_site = binder.static_site(name)
            raw = lambda f: static_site(type_fn(f), [a(f) for a in args], f.rt)  # noqa: E731
        else:
            target = self.expr(target_node)
            site = binder.method_site(name)
            lookup = getattr(target, "variable_lookup", None)
            if lookup is not None and not args:
                raw = lambda f: site(lookup(f.scope), [], f.rt)  # noqa: E731
            elif lookup is not None and len(args) == 1:
                only = args[0]
                raw = lambda f: site(lookup(f.scope), [only(f)], f.rt)  # noqa: E731
            else:
                raw = lambda f: site(target(f), [a(f) for a in args], f.rt)  # noqa: E731
        void = binder.VOID

        def value(f):
            result = raw(f)
            return None if result is void else result
        value.raw = raw  # the statement form: a void method writes nothing
        return value

    def argument_closures(self, nodes) -> list:
        """A method's arguments; `[int], 3` arrives as one cast of `, 3` (a grammar quirk) and is two arguments."""
        closures = []
        for node in nodes:
            while True:
                cast = unwrap(node)
                comma = unwrap(named(cast)[-1]) if cast.type == "cast_expression" else None
                if comma is None or comma.type != "expression_with_unary_operator" or comma.children[0].type != ",":
                    closures.append(self.expr(node))
                    break
                closures.append(self.type_value(named(cast)[0]))
                node = comma.children[-1]
        return closures

    def x_element_access(self, node):
        children = node.children
        target = self.expr(children[0])
        index_node = next(c for c in children[1:] if c.is_named)
        index = self.expr(index_node)
        if _cast_to_object(index_node):
            # about_Hash_Tables: `$d[[Object]1]` is a key even where an int index reads by position (the cast
            # makes the argument's type Object, so the binder picks this[object] over this[int]).
            return lambda f: _get_by_key(target(f), index(f), f.rt)
        return lambda f: binder.get_index(target(f), index(f), f.rt)

    def x_type_literal(self, node):
        return self.type_value(node)

    def type_value(self, node):
        """A closure giving the TypeObject a `[T]` names; an unknown type errors when reached."""
        if node.type != "type_literal":
            inner = unwrap(node)
            if inner.type != "type_literal":
                value = self.expr(node)
                return lambda f: self.type_operand(f, value(f))
            node = inner
        name = text_of(node)[1:-1].strip()
        cache: list = []

        def resolve_type(f):
            if cache:
                return cache[0]
            found = resolve(name, f.session.version)
            if found is None:
                raise errors.type_not_found(name)
            cache.append(found)
            return found
        resolve_type.type_literal = True
        return resolve_type

    def x_cast_expression(self, node):
        type_node, operand_node = named(node)[0], named(node)[-1]
        name = text_of(type_node)[1:-1].strip().lower()
        line = node.start_point[0] + 1
        comma = unwrap(operand_node)
        if comma.type == "expression_with_unary_operator" and comma.children[0].type == ",":
            # `[int], [long]` is an array of two types; the grammar reads it as [int] cast of `, [long]`.
            type_fn = self.type_value(type_node)
            rest = self.expr(comma.children[-1])
            return lambda f: enumeration.new_array([type_fn(f), *enumeration.items_of(rest(f))])
        if name in ("ref", "system.management.automation.psreference"):
            return self.reference(operand_node)
        operand = self.expr(operand_node)
        if name == "void":
            run = getattr(operand, "raw", operand)  # a method call: straight to the call

            def discard(f, out=None):
                run(f)
            discard.no_output = True
            return discard
        if name == "ordered":
            self.require_version((3, 0), "[ordered]", line)
            if unwrap(operand_node).type != "hash_literal_expression":
                raise errors.terminating(errors.RuntimeException(
                    "The ordered attribute can be specified only on a hash literal node.",
                    error_id="OrderedAttributeOnlyOnHashLiteralNode", category="ParserError"))
            return lambda f: _ordered(operand(f))
        if name == "pscustomobject":
            from winsim.powershell.automation.custom_objects import PSCustomObject

            def custom_object(f):
                value = operand(f)
                # 2.0 keeps the Hashtable (semantics reference §3.5); 3.0+ makes an object of its entries.
                if f.session.version < (3, 0) or not enumeration.is_dictionary(value):
                    return value
                return PSCustomObject.from_dictionary(value)
            return custom_object
        type_fn = self.type_value(type_node)
        if hasattr(operand, "constant") and not isinstance(operand.constant, (list, bytearray)):
            folded: list = []

            def cast_constant(f):
                # A cast of a literal ([char]34) gives the same immutable value every time.
                if not folded:
                    value = conversions.convert(operand.constant, type_fn(f), f.rt)
                    if isinstance(value, (list, bytearray)):
                        return value
                    folded.append(value)
                return folded[0]
            return cast_constant
        return lambda f: conversions.convert(operand(f), type_fn(f), f.rt)

    def reference(self, node):
        inner = unwrap(node)
        if inner.type == "variable":
            getter = self.x_variable(inner)
            setter = self.variable_writer(inner)
            return lambda f: PSReference(lambda: getter(f), lambda v: setter(f, v))
        operand = self.expr(node)
        return lambda f: _as_reference(operand(f))

    def x_expression_with_unary_operator(self, node):
        children = node.children
        if len(children) == 1:
            return self.expr(children[0])
        op = text_of(children[0]).lower()
        line = node.start_point[0] + 1
        operand = self.expr(children[-1])
        version = lambda f: f.session.version  # noqa: E731
        if op in ("-not", "!"):
            return lambda f: not conversions.is_true(operand(f), version(f))
        if op == "-":
            return lambda f: arithmetic.negate(operand(f))
        if op == "+":
            return lambda f: arithmetic.add(0, operand(f)) if isinstance(operand(f), str) else operand(f)
        if op == ",":
            return lambda f: enumeration.new_array([operand(f)])
        if op == "-bnot":
            return lambda f: arithmetic.bitwise_not(operand(f))
        if op == "-join":
            from winsim.powershell.language.expressions import join_operator
            return lambda f: join_operator(f, operand(f), "")
        if op in ("-split", "-csplit", "-isplit"):
            from winsim.powershell.language.text_operators import split_whitespace
            return lambda f: split_whitespace(operand(f))
        raise NotModelled(f"the unary operator {op}", line)


def _ordered(value):
    table = new_ordered()
    for entry in value:
        table.add(entry.key, entry.value)  # by key: an integer key is a key here, not a position
    return table


def _as_reference(value):
    return value if isinstance(value, PSReference) else PSReference.holding(value)


__all__ = ["MemberCompiler", "TypeObject", "unwrap"]


def _cast_to_object(node) -> bool:
    while node.type != "cast_expression" and len(named(node)) == 1:
        node = named(node)[0]
    if node.type != "cast_expression":
        return False
    type_node = named(node)[0]
    return text_of(type_node).strip("[] ").lower() in ("object", "system.object")


def _get_by_key(obj, key, rt):
    if enumeration.is_dictionary(obj) and hasattr(obj, "get") and not enumeration.is_enumerable(key):
        return obj.get(key)
    return binder.get_index(obj, key, rt)
