"""The switch statement (ABOUT Switch, SPEC ch08 §8.6): loops over its input; each element tries every clause;
plain clauses compare as -eq (ignoring case unless -CaseSensitive), -Wildcard as -like, -Regex as -match
(setting $matches), script block clauses by their truth with $_ set; `default` runs when nothing matched;
break ends the switch, continue takes the next element."""

from __future__ import annotations

from winsim.powershell.automation.pipeline_input import InputEnumerator
from winsim.powershell.automation.signals import BreakSignal, ContinueSignal, NotModelled
from winsim.powershell.language.parser import named, text_of
from winsim.powershell.semantics import comparison, conversions, enumeration
from winsim.powershell.semantics.patterns import dotnet_regex


class SwitchCompiler:
    def s_switch_statement(self, node, label):
        children = named(node)
        options = set()
        for child in children:
            if child.type == "switch_parameters":
                for parameter in named(child):
                    options.add(text_of(parameter).lower().lstrip("-"))
        unknown = {o for o in options if not any(full.startswith(o) for full in
                                                 ("casesensitive", "wildcard", "regex", "exact"))}
        if unknown or any(o.startswith("file") for o in options):
            raise NotModelled(f"switch -{', -'.join(sorted(unknown or options))}", node.start_point[0] + 1)
        case_sensitive = any("casesensitive".startswith(o) and len(o) > 1 for o in options)
        mode = _last_mode(node)
        condition_node = next(c for c in children if c.type == "switch_condition")
        source = self.pipeline_value(named(condition_node)[0])
        body = next(c for c in children if c.type == "switch_body")
        clauses_node = next((c for c in named(body) if c.type == "switch_clauses"), None)
        clauses, default = [], None
        for clause in named(clauses_node) if clauses_node is not None else []:
            condition, block = named(clause)[0], named(clause)[-1]
            action = self.statement_block(block)
            if text_of(condition).lower() == "default":
                default = action
                continue
            clauses.append((self._switch_test(condition, mode, case_sensitive), action))

        def run(frame, out):
            value = source(frame)
            # $switch: the enumerator of the switch's input (ABOUT Automatic_Variables).
            items = InputEnumerator(list(enumeration.items_of(value)))
            scope = frame.scope
            scope.variables["switch"] = items
            for item in items:
                scope.variables["_"] = item
                matched = False
                try:
                    for test, action in clauses:
                        scope.variables["_"] = item
                        if test(frame, item):
                            matched = True
                            action(frame, out)
                    if not matched and default is not None:
                        default(frame, out)
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

    def _switch_test(self, condition, mode: str, case_sensitive: bool):
        inner = named(condition)
        if inner and inner[0].type == "script_block_expression":
            block = self.statement_block_of_script(inner[0])

            def test_block(frame, item):
                out: list = []
                block(frame, out)
                from winsim.powershell.language.expressions import capture
                return conversions.is_true(capture(out), frame.session.version)
            return test_block
        text = text_of(condition)
        if inner:
            value_fn = self.expr(inner[0])
        elif text[:1] in "'\"":
            value_fn = self.x_string_literal(condition)
        else:
            value_fn = lambda frame: text  # noqa: E731 - a bare word is a string
        if mode == "regex":
            def test_regex(frame, item):
                pattern = conversions.to_string(value_fn(frame))
                found = dotnet_regex(pattern, not case_sensitive).search(conversions.to_string(item))
                if found is not None:
                    from winsim.powershell.language.expressions import set_matches
                    set_matches(frame, found)
                return found is not None
            return test_regex
        if mode == "wildcard":
            return lambda frame, item: comparison.like(item, value_fn(frame), case_sensitive)

        def test_equal(frame, item):
            # ABOUT Switch: a plain clause compares both sides as strings (an enum by its name).
            return comparison.equals(conversions.to_string(item), conversions.to_string(value_fn(frame)),
                                     case_sensitive)
        return test_equal


def _last_mode(node) -> str:
    """-Regex, -Wildcard and -Exact (prefixes allowed): the last one given wins."""
    mode = "exact"
    for child in named(node):
        if child.type == "switch_parameters":
            for parameter in named(child):
                option = text_of(parameter).lower().lstrip("-")
                for full in ("regex", "wildcard", "exact"):
                    if option and full.startswith(option):
                        mode = full
    return mode
