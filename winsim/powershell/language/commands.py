"""Compiling pipelines, commands and assignments (SPEC ch08 §8.2, ch07 §7.11).

Pipelines run stage by stage: each stage gets every object the previous one wrote (commands see them as
pipeline input, functions as $input / process-block $_). The objects of the last stage are the output."""

from __future__ import annotations

import re

from winsim.powershell.automation import errors
from winsim.powershell.automation.scriptblock import Argument, invoke
from winsim.powershell.automation.signals import BreakSignal, ContinueSignal, ExitSignal, NotModelled
from winsim.powershell.language import strings
from winsim.powershell.language.expressions import AUTOMATION_NULL, capture, capture_for_assignment
from winsim.powershell.language.members import unwrap
from winsim.powershell.language.parser import named, text_of
from winsim.powershell.language.statements import emit
from winsim.powershell.semantics import binder, conversions, enumeration

_REDIRECT_TOKEN = re.compile(r"^([12*]?)(>>?)(&1|\$null)?$", re.IGNORECASE)


class CommandCompiler:
    # -- pipelines as statements and as values ------------------------------------------------------------------
    def pipeline_statement(self, node):
        if node.type != "pipeline":
            statement = self.statement(node)
            return statement
        first = named(node)[0]
        if first.type == "assignment_expression":
            return self.assignment(first)  # an assignment closure also runs as a statement (out unused)
        stages = self._stages(first)
        if len(stages) == 1 and stages[0][0] == "expr":
            value = stages[0][1]
            if getattr(value, "no_output", False):
                return value  # no-output closures take (frame, out=None): they run as statements directly

            raw = getattr(value, "raw", None)
            if raw is not None:
                void = binder.VOID

                def run_call(frame, out):
                    result = raw(frame)
                    if result is not void:
                        emit(out, result)
                return run_call

            outputs = getattr(value, "group_outputs", None)
            if outputs is not None:
                def run_grouped(frame, out):
                    written = outputs(frame)
                    frame.session.failed = False  # grouping resets $? (before PowerShell 7)
                    if len(written) == 1:
                        emit(out, written[0])  # one object is the group's value, unrolled as any value is
                    else:
                        out.extend(written)
                return run_grouped
            reader = getattr(value, "raw_variable", value)

            def run_expression(frame, out):
                result = reader(frame)
                if result is not AUTOMATION_NULL:
                    emit(out, result)
            return run_expression
        if len(stages) == 1:
            command = stages[0][1]

            def run_command(frame, out):
                out.extend(command(frame, None))
            return run_command
        pipeline = self._pipeline(stages)

        def run_pipeline(frame, out):
            out.extend(pipeline(frame))
        return run_pipeline

    def pipeline_value(self, node):
        """A pipeline (or statement) used as a value: an expression's own value, else the captured output."""
        if node.type != "pipeline":
            if node.type in ("if_statement", "foreach_statement", "switch_statement", "for_statement",
                             "while_statement", "do_statement", "try_statement"):
                statement = self.statement(node)

                def run_statement(frame):
                    out: list = []
                    statement(frame, out)
                    return capture(out)
                return run_statement
            return self.expr(node)
        first = named(node)[0]
        if first.type == "assignment_expression":
            return self.assignment(first)
        stages = self._stages(first)
        if len(stages) == 1 and stages[0][0] == "expr":
            return stages[0][1]
        if len(stages) > 1:
            pipeline = self._pipeline(stages)
        else:
            pipeline = lambda frame, command=stages[0][1]: list(command(frame, None))  # noqa: E731

        def value(frame):
            return capture(pipeline(frame))
        value.for_assignment = lambda frame: capture_for_assignment(frame, pipeline(frame))
        value.outputs = pipeline
        return value

    def _stages(self, chain):
        if chain.type != "pipeline_chain":
            return [("expr", self.expr(chain))]
        stages = []
        for child in named(chain):
            if child.type == "command" and self._disguised_expression(child) is not None:
                stages.append(("expr", self._disguised_expression(child)))
                continue
            if child.type == "redirections" and stages:
                redirects = [self._redirection(r) for r in named(child)]
                kind, stage = stages[-1]
                if kind == "expr":
                    value = stage
                    stage = lambda frame, items, value=value: list(enumeration.items_of(value(frame)))  # noqa: E731
                stages[-1] = ("cmd", self._redirected(stage, redirects))
                continue
            if child.type == "command":
                stages.append(("cmd", self.command(child)))
            else:
                stages.append(("expr", self.expr(child)))
        return stages

    @staticmethod
    def _pipeline(stages):
        # A bare variable heading a pipeline is read raw: 3.0+'s "nothing" pipes nothing.
        stages = [(kind, getattr(stage, "raw_variable", stage) if kind == "expr" else stage) for kind, stage in stages]

        def run(frame):
            items = None
            for kind, stage in stages:
                if kind == "expr":
                    value = stage(frame)
                    if value is AUTOMATION_NULL:
                        items = []
                        continue
                    items = list(enumeration.items_of(value)) if value is not None else [None]
                else:
                    items = stage(frame, items)  # a list, or a generator for the streaming cmdlets
            return items if isinstance(items, list) else _drain(items)
        return run

    # -- commands -------------------------------------------------------------------------------------------------
    def command(self, node):
        """A closure `run(frame, input_items) -> output list`."""
        operator = next((c for c in node.children if c.type == "command_invokation_operator"), None)
        name_node = next((c for c in node.children if c.type in ("command_name", "command_name_expr")), None)
        elements = next((c for c in node.children if c.type == "command_elements"), None)
        line = node.start_point[0] + 1
        arguments, redirects = self._arguments(elements, line) if elements is not None else ([], [])
        dot = operator is not None and text_of(operator).strip() == "."
        if name_node.type == "command_name" and operator is None:
            name = text_of(name_node)
            if re.match(r"^[\d(]", name) or name.startswith("$"):
                # tree-sitter reads a statement such as `1..5` as a command; it is an expression.
                return self._expression_command(text_of(node), line)
            first = elements.children[0] if elements is not None and elements.child_count else None
            like_method = first is not None and first.type == "parenthesized_expression"
            return self._redirected(self._named_command(name, arguments, line, like_method), redirects)
        target_node = named(name_node)[0] if named(name_node) else name_node
        members: list[str] = []
        if target_node.type == "path_command_name":
            # `& $h.f`: the grammar gives the variable and a `.f` token; each token names a member.
            members = [text_of(t) for t in named(target_node)[1:] if t.type == "path_command_name_token"]
            target_node = named(target_node)[0] if named(target_node) else target_node
        if target_node.type == "command_name":
            text = text_of(target_node)
            target = lambda frame: text  # noqa: E731
        else:
            target = self.expr(target_node)
        if members:
            base, names = target, [n for m in members for n in m.split(".") if n]

            def target(frame):
                value = base(frame)
                for name in names:
                    value = binder.get_member(value, name, frame.rt)
                return value
        run_args = self._argument_values(arguments)

        def invoke_target(frame, items):
            return frame.session.invoke_command(frame, target(frame), run_args(frame), items, dot=dot, line=line)
        return self._redirected(invoke_target, redirects)

    def _disguised_expression(self, node):
        """`1..5` at the start of a pipeline, which the grammar reads as a command named '1..5'."""
        name_node = next((c for c in node.children if c.type == "command_name"), None)
        if name_node is None or any(c.type == "command_invokation_operator" for c in node.children):
            return None
        name = text_of(name_node)
        if not (re.match(r"^[\d(]", name) or name.startswith("$")):
            return None
        from winsim.powershell.language.parser import parse
        # A leading cast keeps the grammar in expression mode; [object] changes no value.
        return self.expr(unwrap(parse("[object]" + text_of(node)).root_node))

    def _expression_command(self, text, line):
        from winsim.powershell.language.parser import parse
        # A leading cast keeps the grammar in expression mode; [object] changes no value.
        tree = parse("[object]" + text)
        expression = self.expr(unwrap(tree.root_node))

        def run(frame, items):
            out: list = []
            emit(out, expression(frame))
            return out
        return run

    def _named_command(self, name, arguments, line, called_like_method=False):
        run_args = self._argument_values(arguments)
        lower = name.lower()

        def run(frame, items):
            if called_like_method and frame.scope.strict_level() >= 2:
                # `f(1, 2)` (no space): strict mode 2 refuses the method-call look (ABOUT Set-StrictMode).
                raise errors.terminating(errors.RuntimeException(
                    "The function or command was called as if it were a method. Parameters should be separated by "
                    "spaces. For information about parameters, see the about_Parameters Help topic.",
                    error_id="StrictModeFunctionCallWithParens", category="InvalidOperation"))
            function = frame.scope.find_function(lower)  # functions first: the common case, without dispatch
            if function is not None:
                return invoke(frame, function.definition, run_args(frame), items)
            return frame.session.invoke_command(frame, name, run_args(frame), items, line=line)
        return run

    def _redirected(self, run, redirects):
        if not redirects:
            return run
        for _stream, target in redirects:
            if target != "$null" and target != "&1":
                raise NotModelled(f"redirection to {target}", None)

        def run_redirected(frame, items):
            session = frame.session
            merge = any(stream == "2" and target == "&1" for stream, target in redirects)
            discard_errors = any(stream == "2" and target == "$null" for stream, target in redirects)
            discard_output = any(stream in ("", "1", "*") and target == "$null" for stream, target in redirects)
            errors_before = len(session.errors)
            output = list(run(frame, items))
            if merge or discard_errors:
                new_errors = session.errors[errors_before:]
                del session.errors[errors_before:]
                if merge:
                    output = [*output, *new_errors]
            return [] if discard_output else output
        return run_redirected

    def _arguments(self, elements, line):
        """Command elements as ('param', name, value-closure|None) and ('arg', closure); and redirections."""
        arguments, redirects = [], []
        children = list(elements.children)
        last_value = None
        previous = None   # the element before, to tell `$a+2` (one argument) from `$a +2` (two)
        for child in children:
            kind = child.type
            adjacent = previous is not None and previous.end_byte == child.start_byte and \
                arguments and arguments[-1][0] == "arg"
            if kind != "command_argument_sep":
                if adjacent and self._glued(arguments, previous, child):
                    last_value = None
                    continue
                previous = child
            elif named(child):
                previous = named(child)[-1]
            if kind == "argument_list" and last_value is not None and arguments and arguments[-1][0] == "arg":
                arguments[-1] = ("arg", None, self.method_call(last_value, child))
                last_value = None
                continue
            if kind == "argument_list":
                # `New-Object T(a, b)`: the parenthesised list is one more argument, an array.
                items_node = next((c for c in named(child) if c.type == "argument_expression_list"), None)
                items = [self.expr(c) for c in named(items_node)] if items_node is not None else []
                if len(items) == 1:
                    arguments.append(("arg", None, items[0]))
                else:
                    arguments.append(("arg", None, lambda f, items=items: enumeration.new_array([i(f) for i in items])))
                continue
            last_value = None
            if kind == "command_argument_sep":
                value_nodes = named(child)
                colon = any(c.type == ":" for c in child.children)
                if colon and not value_nodes and arguments and arguments[-1][0] == "param":
                    arguments.append(("colon", None, None))  # -Name: value, the value comes next
                elif value_nodes and colon and arguments and \
                        arguments[-1][0] == "param" and arguments[-1][2] is None:
                    arguments[-1] = ("param", arguments[-1][1], self.expr(value_nodes[0]))
                elif value_nodes:
                    arguments.append(("arg", None, self.expr(value_nodes[0])))
                    last_value = unwrap(value_nodes[0])
                    if last_value.type != "member_access":
                        last_value = None
                continue
            if kind == "command_parameter":
                text = text_of(child)
                if text.endswith(":"):
                    arguments.append(("param", text[1:-1], None))
                    arguments.append(("colon", None, None))
                else:
                    arguments.append(("param", text[1:], None))
                continue
            if kind == "redirection":
                operator = named(child)[0] if named(child) else None
                if operator is not None and any(c.is_missing for c in operator.children) and arguments and \
                        arguments[-1][0] == "param":
                    # `-p2`: the grammar splits the parameter name before its digits.
                    digits = text_of(next(c for c in named(child) if c.type == "redirected_file_name")).strip()
                    arguments[-1] = ("param", arguments[-1][1] + digits, arguments[-1][2])
                    continue
                redirects.append(self._redirection(child))
                continue
            if kind == "generic_token":
                text = text_of(child)
                redirect = _REDIRECT_TOKEN.match(text)
                if redirect and redirect.group(3):
                    redirects.append((redirect.group(1) or "1", redirect.group(3).lower()))
                    continue
                arguments.append(("arg", None, self._bare_word(text)))
                continue
            if kind in ("comment",):
                continue
            last_value = unwrap(child)
            if last_value.type == "variable" and text_of(last_value).startswith("@"):
                arguments.append(("splat", None, self.expr(last_value)))  # ABOUT Splatting (2.0+)
                last_value = None
                continue
            arguments.append(("arg", None, self.expr(child)))
            if last_value.type != "member_access":
                last_value = None
        return _colon_values(arguments), redirects

    @staticmethod
    def _redirection(node) -> tuple[str, str]:
        """(stream, target): ('2', '&1') for 2>&1, ('1', '$null') for > $null ..."""
        op = text_of(named(node)[0]).replace(" ", "")
        if op == "2>&1":
            return ("2", "&1")
        target_node = next((c for c in named(node) if c.type == "redirected_file_name"), None)
        target = text_of(target_node).strip() if target_node is not None else ""
        return (op.rstrip(">").rstrip(">") or "1", target.lower())

    def _bare_word(self, text):
        if "$" in text or "`" in text or "'" in text or '"' in text:
            return self.expandable(strings.bare_word_parts(text), None)
        return lambda frame: text

    def _glued(self, arguments, previous, child):
        """An element written right after the previous one with no space (about_Parsing, argument mode): after
        a plain variable it continues the same argument (`$a+2` is '4+2'); after a member access or other
        expression a new argument starts, and `-name` there is text, not a parameter ($h.Length-more).
        Returns whether the element was taken."""
        kind = child.type
        before = unwrap(previous)
        if kind == "argument_list" and previous.type == "generic_token" and text_of(previous).endswith("$"):
            arguments[-1] = ("arg", None, self._bare_word(text_of(previous) + text_of(child)))  # a$(2)
            return True
        if before.type == "variable" and not text_of(before).startswith("@") and kind != "argument_list":
            head = arguments[-1][2]
            tail = self._bare_word(text_of(child)) if kind in ("generic_token", "command_parameter") \
                else self.expr(child)
            to_string = conversions.to_string
            arguments[-1] = ("arg", None, lambda f: to_string(head(f)) + to_string(tail(f)))
            return True
        if kind == "command_parameter":
            text = text_of(child)
            arguments.append(("arg", None, lambda f: text))
            return True
        return False

    @staticmethod
    def _argument_values(arguments):
        if all(kind != "splat" for kind, _, _ in arguments):
            specs = tuple((name, value, kind == "arg" or value is not None) for kind, name, value in arguments)
            if not specs:
                return lambda frame: []
            return lambda frame: [Argument(value(frame) if value is not None else None, name, has_value)
                                  for name, value, has_value in specs]

        def values(frame):
            result = []
            for kind, name, value in arguments:
                if kind == "param":
                    result.append(Argument(value(frame) if value is not None else None, name, value is not None))
                elif kind == "splat":
                    splatted = value(frame)
                    if enumeration.is_dictionary(splatted):
                        result.extend(Argument(e.value, conversions.to_string(e.key)) for e in splatted)
                    else:
                        result.extend(Argument(item) for item in enumeration.items_of(splatted))
                else:
                    result.append(Argument(value(frame)))
            return result
        return values


def _drain(items) -> list:
    """The objects a streaming stage writes; when a break, exit or error stops it, what it wrote before is
    kept for whatever handles the stop (it was already output)."""
    written: list = []
    try:
        for item in items:
            written.append(item)
    except (errors.PSError, BreakSignal, ContinueSignal, ExitSignal) as stop:
        stop.partial[:0] = written
        raise
    return written


def _colon_values(arguments):
    """`-Name:` followed by a value token: the value belongs to the parameter."""
    result = []
    index = 0
    while index < len(arguments):
        kind, name, value = arguments[index]
        if kind == "colon":
            index += 1
            if index < len(arguments) and arguments[index][0] == "arg" and result:
                result[-1] = ("param", result[-1][1], arguments[index][2])
                index += 1
            continue
        result.append((kind, name, value))
        index += 1
    return result
