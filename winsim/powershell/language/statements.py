"""Compiling statements to closures `run(frame, out)` that write output objects to the list `out`
(SPEC ch08). Errors: a statement-terminating error ends its statement and, with no try/trap around and
$ErrorActionPreference not Stop, is written to the error stream while the next statement runs."""

from __future__ import annotations

from winsim.powershell.automation import errors
from winsim.powershell.automation.pipeline_input import InputEnumerator
from winsim.powershell.automation.signals import BreakSignal, ContinueSignal, NotModelled, ReturnSignal
from winsim.powershell.clr.exceptions import ClrException
from winsim.powershell.language.parser import named, text_of
from winsim.powershell.semantics import conversions, enumeration

_SKIP = {"empty_statement", "comment"}


def emit(out: list, value, _known=enumeration.ENUMERABLE_BY_TYPE) -> None:
    """Write a value to the output: enumerables are unrolled one level (ABOUT Return; SPEC ch08 §8.1.2)."""
    enumerable = _known.get(type(value))
    if enumerable is False:
        out.append(value)
    elif enumerable or enumeration.is_enumerable(value):
        out.extend(enumeration.iterate(value))
    else:
        out.append(value)


class StatementCompiler:
    def statement_list(self, node):
        """The statements of a block as one closure; traps declared in it cover all of it."""
        compiled, traps, label = [], [], None
        top_level = getattr(self, "nesting", 0) == 0
        self.nesting = getattr(self, "nesting", 0) + 1
        try:
            for child in node.named_children:
                if child.type in _SKIP:
                    continue
                if child.type == "label":
                    label = text_of(child)[1:].lower()
                    continue
                if child.type == "trap_statement":
                    traps.append(self.trap(child))
                    continue
                compiled.append((child.start_point[0] + 1, self.statement(child, label)))
                label = None
        finally:
            self.nesting -= 1
        # $? is kept statement by statement where it can be read: the script's own statements (its exit code
        # follows the last one) and every block of a script that reads $?.
        return self.block_runner(compiled, traps, track_status=top_level or "$?" in self.source)

    def block_runner(self, compiled, traps, track_status=True):
        coverage = self.coverage
        add = coverage.add
        statements = tuple(compiled)
        handle = self.statement_error

        if not traps and not track_status:
            def run_quickly(frame, out):
                for line, statement in statements:
                    add(line)
                    try:
                        statement(frame, out)
                    except errors.PSError as error:
                        handle(frame, error, out)
                    except ClrException as error:
                        handle(frame, errors.terminating(error), out)
            return run_quickly

        if not traps:
            def run(frame, out):
                session = frame.session
                for line, statement in statements:
                    add(line)
                    session.failed = False
                    try:
                        statement(frame, out)
                    except errors.PSError as error:
                        handle(frame, error, out)
                    except ClrException as error:  # raised by the class library outside a member call
                        handle(frame, errors.terminating(error), out)
                    session.succeeded = not session.failed
            return run

        def run_with_traps(frame, out):
            session = frame.session
            for line, statement in statements:
                add(line)
                session.handlers += 1
                session.failed = False
                try:
                    statement(frame, out)
                except errors.PSError as error:
                    session.handlers -= 1
                    out.extend(error.partial)
                    self.run_trap(frame, traps, error, out)
                    session.succeeded = False
                    continue
                session.handlers -= 1
                session.succeeded = not session.failed
        return run_with_traps

    @staticmethod
    def statement_error(frame, error, out):
        """A terminating error reached a statement boundary: rethrow when something handles it, else write it."""
        session = frame.session
        if session.handlers == 0 and session.silent(frame):
            # SilentlyContinue outside try/trap absorbs even `throw` (semantics reference §8.2).
            out.extend(error.partial)
            session.write_error(frame, error.record)
            return
        if session.stops(frame):
            error.fatal = True  # Stop makes a statement-terminating error script-terminating
        if error.fatal or session.handlers > 0:
            raise error
        out.extend(error.partial)  # what the failed statement's functions wrote before the error
        session.write_error(frame, error.record)

    def statement_block(self, node):
        body = next((c for c in named(node) if c.type == "statement_list"), None)
        if body is None:
            return lambda frame, out: None
        return self.statement_list(body)

    def statement(self, node, label=None):
        kind = node.type
        if kind == "pipeline":
            return self.pipeline_statement(node)
        method = getattr(self, "s_" + kind, None)
        if method is None:
            raise NotModelled(f"the statement {kind}", node.start_point[0] + 1)
        if kind in ("foreach_statement", "for_statement", "while_statement", "do_statement", "switch_statement"):
            return method(node, label)
        return method(node)

    # -- if -----------------------------------------------------------------------------------------------------
    def s_if_statement(self, node):
        branches = []
        otherwise = None
        children = named(node)
        branches.append((self.pipeline_value(children[0]), self.statement_block(children[1])))
        for child in children[2:]:
            if child.type == "elseif_clauses":
                for clause in named(child):
                    parts = named(clause)
                    branches.append((self.pipeline_value(parts[0]), self.statement_block(parts[1])))
            elif child.type == "elseif_clause":
                parts = named(child)
                branches.append((self.pipeline_value(parts[0]), self.statement_block(parts[1])))
            elif child.type == "else_clause":
                otherwise = self.statement_block(named(child)[0])
        is_true = conversions.is_true
        if len(branches) == 1:
            condition, body = branches[0]

            def run_one(frame, out):
                value = condition(frame)
                # A comparison gives a bool: no conversion needed to decide.
                if value is True or (value is not False and is_true(value, frame.session.version)):
                    body(frame, out)
                elif otherwise is not None:
                    otherwise(frame, out)
            return run_one

        def run(frame, out):
            version = frame.session.version
            for condition, body in branches:
                value = condition(frame)
                if value is True or (value is not False and is_true(value, version)):
                    body(frame, out)
                    return
            if otherwise is not None:
                otherwise(frame, out)
        return run

    # -- loops --------------------------------------------------------------------------------------------------
    def s_foreach_statement(self, node, label):
        children = named(node)
        variable = next(c for c in children if c.type == "variable")
        write = self.variable_writer(variable)
        source = self.pipeline_value(next(c for c in children if c.type == "pipeline"))
        body = self.statement_block(next(c for c in children if c.type == "statement_block"))

        def run(frame, out):
            collection = source(frame)
            if collection is None:
                # about_Foreach: 2.0 runs the body once for $null, 3.0+ not at all (semantics reference §3.1).
                if frame.session.version >= (3, 0):
                    return
                items = (None,)
            else:
                items = enumeration.items_of(collection)
            # $foreach: the loop's enumerator (ABOUT Automatic_Variables); MoveNext() skips an item.
            enumerator = InputEnumerator(items)
            frame.scope.variables["foreach"] = enumerator
            for item in enumerator:
                write(frame, item)
                try:
                    body(frame, out)
                except BreakSignal as signal:
                    if signal.label is None or signal.label == label:
                        out.extend(signal.partial)
                        return
                    raise
                except ContinueSignal as signal:
                    if signal.label is not None and signal.label != label:
                        raise
                    out.extend(signal.partial)
        return run

    def s_for_statement(self, node, label):
        parts = {c.type: c for c in named(node)}
        init = self.pipeline_statement(named(parts["for_initializer"])[0]) if "for_initializer" in parts else None
        condition = (self.pipeline_value(named(parts["for_condition"])[0])
                     if "for_condition" in parts else (lambda frame: True))
        step = self.pipeline_statement(named(parts["for_iterator"])[0]) if "for_iterator" in parts else None
        body = self.statement_block(parts["statement_block"])

        def run(frame, out):
            if init is not None:
                init(frame, [])  # the initializer's and iterator's values are not output (ABOUT For)
            while conversions.is_true(condition(frame), frame.session.version):
                try:
                    body(frame, out)
                except BreakSignal as signal:
                    if signal.label is None or signal.label == label:
                        out.extend(signal.partial)
                        return
                    raise
                except ContinueSignal as signal:
                    if signal.label is not None and signal.label != label:
                        raise
                    out.extend(signal.partial)
                if step is not None:
                    step(frame, [])
        return run

    def s_while_statement(self, node, label):
        condition_node = next(c for c in named(node) if c.type == "while_condition")
        condition = self.pipeline_value(named(condition_node)[0])
        body = self.statement_block(next(c for c in named(node) if c.type == "statement_block"))
        return self._loop(condition, body, label, test_first=True, until=False)

    def s_do_statement(self, node, label):
        condition_node = next(c for c in named(node) if c.type == "while_condition")
        condition = self.pipeline_value(named(condition_node)[0])
        body = self.statement_block(next(c for c in named(node) if c.type == "statement_block"))
        until = any(c.type == "until" for c in node.children)
        return self._loop(condition, body, label, test_first=False, until=until)

    @staticmethod
    def _loop(condition, body, label, *, test_first: bool, until: bool):
        def run(frame, out):
            version = frame.session.version
            if test_first and not conversions.is_true(condition(frame), version):
                return
            while True:
                try:
                    body(frame, out)
                except BreakSignal as signal:
                    if signal.label is None or signal.label == label:
                        out.extend(signal.partial)
                        return
                    raise
                except ContinueSignal as signal:
                    if signal.label is not None and signal.label != label:
                        raise
                    out.extend(signal.partial)
                if conversions.is_true(condition(frame), version) == until:
                    return
        return run

    # -- flow control -------------------------------------------------------------------------------------------
    def s_flow_control_statement(self, node):
        keyword = text_of(node.children[0]).lower()
        operand_node = next((c for c in named(node) if c.type in ("pipeline", "label_expression", "simple_name")),
                            None)
        if keyword in ("break", "continue"):
            signal = BreakSignal if keyword == "break" else ContinueSignal
            if operand_node is not None and (operand_node.type == "pipeline" or (
                    named(operand_node) and named(operand_node)[0].type != "label")):
                # break $label: the label is a value
                label_fn = self.pipeline_value(operand_node if operand_node.type == "pipeline"
                                               else named(operand_node)[0])

                def jump_to(frame, out):
                    raise signal(conversions.to_string(label_fn(frame)).lower().lstrip(":"))
                return jump_to
            label = text_of(operand_node).lower().lstrip(":") if operand_node is not None else None

            def jump(frame, out):
                raise signal(label)
            return jump
        value = self.pipeline_value(operand_node) if operand_node is not None else None
        if keyword == "return":
            outputs = getattr(value, "outputs", None)
            if outputs is not None:
                def leave_with_command(frame, out):
                    out.extend(outputs(frame))  # `return <command>`: the command's objects as they are
                    raise ReturnSignal()
                return leave_with_command

            def leave(frame, out):
                if value is not None:
                    emit(out, value(frame))
                raise ReturnSignal()
            return leave
        if keyword == "exit":
            from winsim.powershell.automation.signals import ExitSignal

            def stop(frame, out):
                code = value(frame) if value is not None else 0
                try:
                    number = conversions.to_integer(code) if code is not None else 0
                except errors.PSError:
                    number = 0  # `exit 'abc'`: a value that is no number exits with 0
                raise ExitSignal(number)
            return stop
        if keyword == "throw":
            return lambda frame, out: self.throw(frame, value(frame) if value is not None else None,
                                                 value is None)
        raise NotModelled(f"the statement {keyword}", node.start_point[0] + 1)

    # -- functions ----------------------------------------------------------------------------------------------
    def s_function_statement(self, node):
        from winsim.powershell.automation.scriptblock import FunctionInfo
        name = text_of(next(c for c in named(node) if c.type == "function_name"))
        is_filter = node.children[0].type == "filter"
        definition = self.script_block(next((c for c in named(node) if c.type == "script_block"), None), node,
                                       next((c for c in named(node) if c.type == "function_parameter_declaration"),
                                            None), is_filter=is_filter)
        scope_name, _, bare = name.rpartition(":")
        key = bare.lower()
        scope_name = scope_name.lower()

        def define(frame, out):
            # function script:f / global:f define it in that scope (ABOUT Scopes#Scope modifiers).
            scope = frame.session.scope_for(frame, scope_name) if scope_name in ("script", "global") else frame.scope
            scope.functions[key] = FunctionInfo(bare, definition)
        return define
