"""The compiler: a syntax tree to closures, once per source text (cached by the text)."""

from __future__ import annotations

import functools

from winsim.powershell.automation.scriptblock import ParamDef, ScriptDefinition
from winsim.powershell.automation.signals import NotModelled
from winsim.powershell.language.assignments import AssignmentCompiler
from winsim.powershell.language.commands import CommandCompiler
from winsim.powershell.language.error_statements import ErrorStatementCompiler
from winsim.powershell.language.expressions import ExpressionCompiler
from winsim.powershell.language.members import MemberCompiler
from winsim.powershell.language.parser import named, parse, text_of
from winsim.powershell.language.statements import StatementCompiler
from winsim.powershell.language.switch import SwitchCompiler

# Statement start lines executed, per source text (the Engine's coverage; see engine.coverage_registry).
COVERAGE: dict[str, set[int]] = {}


class Compiler(ExpressionCompiler, MemberCompiler, AssignmentCompiler, StatementCompiler, ErrorStatementCompiler,
               CommandCompiler, SwitchCompiler):
    def __init__(self, source: str, line_offset: int = 0) -> None:
        self.source = source
        self.coverage = COVERAGE.setdefault(source, set())
        self.line_offset = line_offset

    # -- script blocks --------------------------------------------------------------------------------------------
    def script_block(self, block, owner, declaration=None, *, is_filter: bool = False) -> ScriptDefinition:
        """A function body, `{ ... }` literal or whole script: its param block and named blocks."""
        params: list[ParamDef] = []
        has_param_block = False
        if declaration is not None:
            params = self.parameters(next((c for c in named(declaration) if c.type == "parameter_list"), None))
        definition = ScriptDefinition(params, is_filter=is_filter, text=_inner_text(owner),
                                      line=owner.start_point[0] + 1)
        # The grammar may hang `param(...)` on the owner beside the block ({ param($a) $a } on one line).
        for child in named(owner):
            if child.type == "param_block":
                definition.params = self.parameters(next((c for c in named(child) if c.type == "parameter_list"),
                                                         None))
                definition.advanced = _is_advanced(child)
                has_param_block = True
        if block is None:
            return definition
        for child in named(block):
            if child.type == "param_block":
                has_param_block = True
                definition.params = self.parameters(next((c for c in named(child) if c.type == "parameter_list"),
                                                         None))
                definition.advanced = _is_advanced(child)
            elif child.type == "script_block_body":
                self._body(child, definition)
            elif child.type == "statement_list":
                definition.end = self.statement_list(child)
        definition.has_param_block = has_param_block
        if is_filter and definition.process is None:
            definition.process, definition.end = definition.end, None
        return definition

    def _body(self, body, definition: ScriptDefinition) -> None:
        for child in named(body):
            if child.type == "statement_list":
                definition.end = self.statement_list(child)
            elif child.type == "named_block_list":
                for block in named(child):
                    name = text_of(named(block)[0]).lower()
                    compiled = self.statement_block(named(block)[-1])
                    if name in ("begin", "process", "end"):
                        setattr(definition, name, compiled)
                    else:
                        raise NotModelled(f"the {name} block", block.start_point[0] + 1)

    def parameters(self, parameter_list) -> list[ParamDef]:
        params = []
        for parameter in named(parameter_list) if parameter_list is not None else []:
            if parameter.type != "script_parameter":
                continue
            variable = next(c for c in named(parameter) if c.type == "variable")
            param = ParamDef(text_of(variable)[1:])
            attributes = next((c for c in named(parameter) if c.type == "attribute_list"), None)
            for attribute in named(attributes) if attributes is not None else []:
                inner = named(attribute)[0]
                if inner.type == "type_literal":
                    param.typed(text_of(inner)[1:-1].strip().lower(), self.type_value(inner))
                elif "mandatory" in text_of(attribute).lower():
                    param.mandatory = True
            default = next((c for c in named(parameter) if c.type == "script_parameter_default"), None)
            if default is not None:
                param.default = self.pipeline_value(named(default)[0])
            params.append(param)
        return params

    def statement_block_of_script(self, node):
        """The statements of a `{ ... }` literal, run in the current scope (switch clause conditions)."""
        block = next((c for c in named(node) if c.type == "script_block"), None)
        definition = self.script_block(block, node)
        end = definition.end
        return end if end is not None else (lambda frame, out: None)

    def subexpression_source(self, text: str, node):
        """`$(...)` inside an expandable string: compiled from its own text."""
        compiled = compile_source(text, "subexpression")
        from winsim.powershell.language.expressions import capture

        def run(frame):
            out: list = []
            compiled.end(frame, out)
            return capture(out)
        return run

    def session_variable(self, lower: str):
        """Automatic variables the session answers ($PSVersionTable, $Error, $PSHOME ...)."""
        if lower in ("psversiontable", "error", "pshome", "pid", "host", "home", "executioncontext",
                     "psculture", "psuiculture"):
            return lambda frame: frame.session.automatic(lower, frame)
        if lower == "psboundparameters":
            return lambda frame: frame.session.bound_parameters(frame)
        if lower == "?":
            return lambda frame: frame.session.succeeded
        if lower == "psitem":
            return lambda frame: frame.scope.lookup("_") if frame.session.version >= (3, 0) else \
                frame.scope.lookup("psitem")
        return None

    def require_version(self, version, what, line):
        self.needs_version = max(getattr(self, "needs_version", (2, 0)), version)
        self.version_features = [*getattr(self, "version_features", []), (version, what, line)]


def _is_advanced(param_block) -> bool:
    """[CmdletBinding()] (or a [Parameter()] attribute) before param makes an advanced function: its binding
    refuses arguments it has no parameter for (ABOUT Functions_CmdletBindingAttribute)."""
    text = text_of(param_block).lower()
    return "[cmdletbinding" in text.replace(" ", "") or "[parameter(" in text.replace(" ", "")


def _inner_text(node) -> str:
    text = text_of(node)
    if text.startswith("{") and text.endswith("}"):
        return text[1:-1]
    return text


@functools.lru_cache(maxsize=256)
def compile_source(source: str, kind: str = "script") -> ScriptDefinition:
    """A whole script (or script block text) compiled once; the same text gives the same definition."""
    tree = parse(source)
    compiler = Compiler(source)
    definition = compiler.script_block(tree.root_node, tree.root_node)
    definition.text = source
    definition.version_features = getattr(compiler, "version_features", [])
    return definition
