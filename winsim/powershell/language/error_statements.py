"""Compiling error handling (ABOUT Try_Catch_Finally, ABOUT Trap, ABOUT Throw, SPEC ch08 §8.7-8.8): try/catch
with typed clauses matching the exception or the one it wraps, finally, trap covering its block, and throw."""

from __future__ import annotations

from winsim.powershell.automation import errors
from winsim.powershell.automation.signals import BreakSignal, ContinueSignal
from winsim.powershell.language.parser import named
from winsim.powershell.semantics import conversions


class ErrorStatementCompiler:
    def run_trap(self, frame, traps, error, out):
        for type_fns, body in traps:
            if type_fns and _matching_catch(frame, [(type_fns, body)], error.record) is None:
                continue
            frame.scope.variables["_"] = error.record
            try:
                body(frame, out)
            except ContinueSignal:
                return
            except BreakSignal:
                error.fatal = True
                raise error from None
            frame.session.write_error(frame, error.record)
            return
        raise error

    def trap(self, node):
        type_fns = [self.type_value(t) for t in named(node) if t.type == "type_literal"]
        body = self.statement_block(next(c for c in named(node) if c.type == "statement_block"))
        return type_fns, body

    @staticmethod
    def throw(frame, value, bare: bool):
        from winsim.powershell.clr.exceptions import ClrException
        if bare:
            current = frame.scope.lookup("_")
            if isinstance(current, errors.ErrorRecord):
                error = errors.PSError(current)
            else:
                error = errors.terminating(errors.RuntimeException("ScriptHalted", error_id="ScriptHalted",
                                                                   category="OperationStopped"))
        elif isinstance(value, errors.ErrorRecord):
            error = errors.PSError(value)
        elif isinstance(value, ClrException):
            error = errors.PSError(errors.ErrorRecord(value, value.message if not isinstance(
                value, errors.RuntimeException) else value.error_id, "OperationStopped", None))
        else:
            text = conversions.to_string(value, frame.rt) if value is not None else "ScriptHalted"
            exception = errors.RuntimeException(text, error_id=text, category="OperationStopped", target=value)
            error = errors.terminating(exception)
        error.fatal = True
        raise error

    # -- try/catch/finally --------------------------------------------------------------------------------------
    def s_try_statement(self, node):
        children = named(node)
        body = self.statement_block(children[0])
        clauses = []
        final = None
        for child in children[1:]:
            if child.type == "catch_clauses":
                for clause in named(child):
                    type_list = next((c for c in named(clause) if c.type == "catch_type_list"), None)
                    types = [self.type_value(t) for t in named(type_list)] if type_list is not None else []
                    block = self.statement_block(next(c for c in named(clause) if c.type == "statement_block"))
                    clauses.append((types, block))
            elif child.type == "finally_clause":
                final = self.statement_block(named(child)[0])

        def run(frame, out):
            session = frame.session
            try:
                session.handlers += 1
                try:
                    body(frame, out)
                finally:
                    session.handlers -= 1
            except errors.PSError as error:
                handler = _matching_catch(frame, clauses, error.record)
                if handler is None:
                    raise
                out.extend(error.partial)
                record = error.record
                if session.version >= (3, 0):
                    record = _matched_record(frame, clauses, record)
                variables = frame.scope.variables
                had, saved = "_" in variables, variables.get("_")
                variables["_"] = record
                session.record_error(error.record)
                try:
                    handler(frame, out)
                finally:
                    if session.version >= (3, 0):  # 3.0+ gives the $_ of before the catch back
                        if had:
                            variables["_"] = saved
                        else:
                            variables.pop("_", None)
            finally:
                if final is not None:
                    final(frame, out)
        return run


def _matched_record(frame, clauses, record):
    """3.0+: a typed catch that matched the wrapped (inner) exception sees that exception in $_."""
    inner = getattr(record.exception, "inner", None)
    if inner is None or not isinstance(record.exception, errors.RuntimeException):
        return record
    for types, _ in clauses:
        if not types:
            return record
        targets = [t(frame) for t in types]
        if any(conversions.is_instance(record.exception, t) for t in targets):
            return record
        if any(conversions.is_instance(inner, t) for t in targets):
            return errors.ErrorRecord(inner, record.error_id, record.category, record.target)
    return record


_RUNTIME_EXCEPTION = "System.Management.Automation.RuntimeException"


def _matching_catch(frame, clauses, record):
    exception = record.exception
    for types, block in clauses:
        if not types:
            return block
        for type_fn in types:
            target = type_fn(frame)
            if conversions.is_instance(exception, target) or target.full_name == _RUNTIME_EXCEPTION:
                # Every error reaches a script as a RuntimeException's record: catching that type catches all.
                return block
            inner = getattr(exception, "inner", None)
            if isinstance(exception, errors.RuntimeException) and inner is not None and \
                    conversions.is_instance(inner, target):
                return block
    return None
