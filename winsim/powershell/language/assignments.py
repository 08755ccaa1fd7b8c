"""Compiling assignments: `=` and the compound operators, ++/--, and the targets they write (variables with
scope modifiers and type constraints, members, indexes, several variables at once)."""

from __future__ import annotations

from winsim.powershell.automation import errors
from winsim.powershell.automation.signals import NotModelled
from winsim.powershell.language.members import unwrap
from winsim.powershell.language.parser import named, text_of
from winsim.powershell.semantics import arithmetic, binder, conversions, enumeration

_COMPOUND = {"+=": arithmetic.add, "-=": arithmetic.subtract, "*=": arithmetic.multiply, "/=": arithmetic.divide,
             "%=": arithmetic.modulus}


class AssignmentCompiler:
    # -- ++ and -- ----------------------------------------------------------------------------------------------
    def _step(self, node, delta: int, post: bool):
        target_node = next(c for c in node.children if c.is_named)
        read = self.expr(target_node)
        write = self.assignment_target(target_node)

        def run(f, out=None):
            old = read(f)
            new = arithmetic.add(old if old is not None else 0, delta)
            write(f, new)
            return old if post else new
        run.no_output = True
        return run

    def x_post_increment_expression(self, node):
        return self._step(node, 1, True)

    def x_post_decrement_expression(self, node):
        return self._step(node, -1, True)

    def x_pre_increment_expression(self, node):
        return self._step(node, 1, False)

    def x_pre_decrement_expression(self, node):
        return self._step(node, -1, False)

    # -- assignment -----------------------------------------------------------------------------------------------
    def assignment(self, node):
        children = node.children
        target_node = children[0]
        operator = text_of(children[1]).strip()
        value_node = node.child_by_field_name("value") or children[-1]
        value = self.pipeline_value(value_node)
        value = getattr(value, "for_assignment", value)
        write = self.assignment_target(target_node)
        local = unwrap(target_node)
        if operator == "=" and local.type == "variable" and ":" not in text_of(local):
            from winsim.powershell.language.expressions import variable_name
            name = variable_name(text_of(local)).lower()
            if name not in ("null", "true", "false"):
                def assign_variable(frame, out=None):
                    # `$x = ...`, the commonest statement, in one step (the variable's type constraint kept).
                    result = value(frame)
                    scope = frame.scope
                    constraints = scope.constraints
                    if constraints is not None and name in constraints:
                        result = conversions.convert(result, constraints[name], frame.rt)
                    scope.variables[name] = result
                    return result
                return assign_variable
        if operator == "=":
            def assign(frame, out=None):
                result = value(frame)
                write(frame, result)
                return result
            return assign
        combine = _COMPOUND.get(operator)
        if combine is None:
            raise NotModelled(f"the assignment operator {operator}", node.start_point[0] + 1)
        read = self.expr(target_node)
        variable = unwrap(target_node)
        if variable.type == "variable" and ":" not in text_of(variable):
            from winsim.powershell.language.expressions import variable_name
            lower = variable_name(text_of(variable)).lower()
            dynamic = read

            def read(frame):
                # 3.0+ reads a compound assignment's variable in the current scope only (semantics §3.13).
                if frame.session.version >= (3, 0):
                    return frame.scope.variables.get(lower)
                return dynamic(frame)

        def assign_compound(frame, out=None):
            result = combine(read(frame), value(frame), frame.rt)
            write(frame, result)
            return result
        return assign_compound

    # -- assignment targets -------------------------------------------------------------------------------------
    def assignment_target(self, node):
        """A closure `write(frame, value)` for the left side of an assignment."""
        inner = unwrap(node)
        kind = inner.type
        if kind == "variable":
            return self.variable_writer(inner)
        if kind == "member_access":
            target_node, static, name, name_fn = self._target_and_name(inner)
            if static:
                type_fn = self.type_value(target_node)
                return lambda f, v: binder.set_static(type_fn(f), name or name_fn(f), v, f.rt)
            target = self.expr(target_node)
            if name is not None:
                site = binder.member_set_site(name)
                return lambda f, v: site(target(f), v, f.rt)
            return lambda f, v: binder.set_member(target(f), name_fn(f), v, f.rt)
        if kind == "element_access":
            children = inner.children
            target = self.expr(children[0])
            index = self.expr(next(c for c in children[1:] if c.is_named))
            return lambda f, v: binder.set_index(target(f), index(f), v, f.rt)
        if kind == "cast_expression":
            type_fn = self.type_value(named(inner)[0])
            variable = unwrap(named(inner)[-1])
            write = self.assignment_target(named(inner)[-1])
            if variable.type == "variable":
                # [int]$x = ...: the variable keeps the type; later assignments convert (SPEC ch05 §5.3).
                from winsim.powershell.language.expressions import variable_name
                key = variable_name(text_of(variable)).lower().rpartition(":")[2]

                def constrain(f, v):
                    target = type_fn(f)
                    value = conversions.convert(v, target, f.rt)
                    write(f, value)
                    scope = f.scope
                    if scope.constraints is None:
                        scope.constraints = {}
                    scope.constraints[key] = target
                return constrain
            return lambda f, v: write(f, conversions.convert(v, type_fn(f), f.rt))
        if kind == "array_literal_expression":
            writers = [self.assignment_target(c) for c in named(inner)]
            return lambda f, v: _spread(f, writers, v)
        if kind == "expression_with_unary_operator" and len(inner.children) == 1:
            return self.assignment_target(inner.children[0])
        raise NotModelled(f"assignment to {kind}", node.start_point[0] + 1)

    def variable_writer(self, node):
        from winsim.powershell.language.expressions import variable_name
        name = variable_name(text_of(node)).lower()
        scope, _, bare = name.rpartition(":")
        if scope == "env":
            return lambda f, v: f.session.set_environment_variable(bare, v)
        if scope in ("script", "global"):
            return lambda f, v: f.session.scope_for(f, scope).variables.__setitem__(bare, v)
        if scope == "variable":
            name = bare
        elif scope and scope not in ("local", "private"):
            raise NotModelled(f"the variable drive {scope}:", node.start_point[0] + 1)
        else:
            name = bare
        if name == "null":
            return lambda f, v: None
        if name in ("true", "false"):
            def read_only(f, v):
                raise errors.runtime_error(f"Cannot overwrite variable {name} because it is read-only or constant.",
                                           "VariableNotWritable", "WriteError")
            return read_only

        def write(f, v):
            scope = f.scope
            constraints = scope.constraints
            if constraints is not None and name in constraints:
                v = conversions.convert(v, constraints[name], f.rt)
            scope.variables[name] = v
        return write


def _spread(frame, writers, value):
    items = list(enumeration.items_of(value))
    for index, write in enumerate(writers):
        if index == len(writers) - 1:
            rest = items[index:]
            write(frame, rest[0] if len(rest) == 1 else enumeration.new_array(rest) if rest else None)
        else:
            write(frame, items[index] if index < len(items) else None)
