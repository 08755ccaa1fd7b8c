"""The PowerShell side: agent.ps1 and its bootstrap parse cleanly, stay inside PowerShell 2.0,
never evaluate request data as code, and agree with the protocol constants and document."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
import tree_sitter
import tree_sitter_powershell

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils import agent_protocol
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_client import (
    AGENT_PARTS,
    AGENT_PATH,
    BOOTSTRAP_PATH,
    LAUNCHER_PATH,
    AgentScript,
    agent_source,
    minify_powershell,
)

REPO_ROOT = Path(__file__).resolve().parents[3]
PROTOCOL_DOC = REPO_ROOT / "docs" / "agent-protocol.md"
PLUGIN_UTILS = AGENT_PATH.parent
AGENT = agent_source()
BOOTSTRAP = BOOTSTRAP_PATH.read_text(encoding="ascii")
LAUNCHER = LAUNCHER_PATH.read_text(encoding="ascii")
SHIPPED = AgentScript.load()
FILES = sorted(path.name for path in PLUGIN_UTILS.glob("agent*.ps1"))

SOURCES = {
    "agent (all parts)": AGENT,
    "agent_bootstrap.ps1": BOOTSTRAP,
    "agent_launcher.ps1": LAUNCHER,
    "agent as sent on stdin": SHIPPED.script,
    "bootstrap as sent in the command": SHIPPED.bootstrap,
    "launcher as sent to powershell.exe": minify_powershell(LAUNCHER, keep_header=False),
}
# The scripts as written, each checked against the PowerShell 2.0 floor and the no-eval rule.
WRITTEN = {"agent (all parts)": AGENT, "agent_bootstrap.ps1": BOOTSTRAP, "agent_launcher.ps1": LAUNCHER}


def syntax_problems(source: str) -> list[str]:
    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_powershell.language()))
    tree = parser.parse(source.encode("utf-8"))
    problems = []
    pending = [tree.root_node]
    while pending:
        node = pending.pop()
        if node.type == "ERROR" or node.is_missing:
            line = node.start_point[0] + 1
            problems.append(f"{node.type}{' (missing)' if node.is_missing else ''} at line {line}: "
                            f"{source.splitlines()[line - 1].strip()[:100]!r}")
        pending.extend(node.children)
    return problems


def code_lines(source: str) -> list[tuple[int, str]]:
    """Lines without comments (the scripts keep '#' inside strings only where a line is code)."""
    return [(number, line) for number, line in enumerate(source.splitlines(), 1) if not line.strip().startswith("#")]


def test_grammar_reports_broken_powershell():
    # Guards the tests below: the grammar must be able to fail.
    assert syntax_problems("function Get-X {\n    if ($a -eq {\n}\n")


@pytest.mark.parametrize("name", SOURCES)
def test_scripts_parse_without_errors(name):
    assert syntax_problems(SOURCES[name]) == []


@pytest.mark.parametrize("name", FILES)
def test_scripts_are_plain_ascii_without_tabs_or_trailing_blanks(name):
    source = (PLUGIN_UTILS / name).read_text(encoding="utf-8")
    assert source.isascii()
    for number, line in enumerate(source.splitlines(), 1):
        assert "\t" not in line, number
        assert line == line.rstrip(), number
        assert len(line) <= 160, number


def test_agent_header_carries_the_protocol_marker_and_licence():
    lines = AGENT.splitlines()
    assert lines[0] == agent_protocol.PROTOCOL_MARKER == "# protocol: win-primitive-agent/1"
    assert any("GNU General Public License v3.0+" in line for line in lines[:10])
    assert SHIPPED.script.splitlines()[0] == agent_protocol.PROTOCOL_MARKER


def test_every_agent_file_is_a_part_and_each_part_names_its_licence():
    helpers = {"agent_bootstrap.ps1", "agent_launcher.ps1"}
    assert sorted(AGENT_PARTS) == sorted(set(FILES) - helpers)
    assert AGENT_PARTS[0] == "agent.ps1" and AGENT_PARTS[-1] == "agent_main.ps1"
    for name in FILES:
        head = (PLUGIN_UTILS / name).read_text(encoding="ascii").splitlines()[:5]
        assert all(line.startswith("#") for line in head[:3]), name
        assert any("GNU General Public License v3.0+" in line for line in head), name


def test_the_launcher_travels_inside_the_agent_as_an_encoded_command():
    assert "AGENT_LAUNCHER_BASE64" not in SHIPPED.script
    embedded = re.findall(r"^\$AgentLauncher = '([A-Za-z0-9+/=]+)'$", SHIPPED.script, re.MULTILINE)
    assert len(embedded) == 1
    assert base64.b64decode(embedded[0]).decode("utf-16-le") == minify_powershell(LAUNCHER, keep_header=False)
    # powershell.exe takes the launcher on its command line (CreateProcess allows 32767 characters).
    assert len(embedded[0]) < 16000


# Constructs that evaluate text as code, each with a line it must catch. Request values must
# only ever be data.
CODE_EVALUATION = {
    r"\bInvoke-Expression\b": "Invoke-Expression -Command $text",
    r"(?<![\w-])iex\b": "$text | iex",
    r"\bScriptBlock\]::Create\b": "$b = [ScriptBlock]::Create($path)",
    r"\bNewScriptBlock\b": "$ExecutionContext.InvokeCommand.NewScriptBlock($x)",
    r"\bInvokeScript\b": "$ExecutionContext.SessionState.InvokeCommand.InvokeScript($x)",
    r"\bInvokeCommand\b": "$ExecutionContext.InvokeCommand",
    r"\bAdd-Type\b[^\n]*-(TypeDefinition|MemberDefinition)\b": "Add-Type -TypeDefinition $source",
    r"\bInvoke-Command\b": "Invoke-Command -ScriptBlock $b",
    r"\bStart-Job\b": "Start-Job -ScriptBlock $b",
    r"\[scriptblock\]\s*\$": "$b = [scriptblock] $text",
    r"\$ExecutionContext\b": "$ExecutionContext.InvokeCommand",
}

# Cmdlets, operators and APIs that need PowerShell 3.0+ or .NET 4+, absent on the 2.0 floor.
NEWER_THAN_POWERSHELL_2 = {
    r"\bConvertTo-Json\b": "$r | ConvertTo-Json -Compress",
    r"\bConvertFrom-Json\b": "$r = $text | ConvertFrom-Json",
    r"\bGet-CimInstance\b": "Get-CimInstance -ClassName Win32_Service",
    r"\bInvoke-CimMethod\b": "Invoke-CimMethod -InputObject $s -MethodName StartService",
    r"\bGet-FileHash\b": "(Get-FileHash -LiteralPath $p).Hash",
    r"\bInvoke-WebRequest\b": "Invoke-WebRequest -Uri $u",
    r"\bInvoke-RestMethod\b": "Invoke-RestMethod -Uri $u",
    r"\[ordered\]": "$m = [ordered]@{}",
    r"\[pscustomobject\]": "$o = [PSCustomObject]@{ a = 1 }",
    r"\$PSItem\b": "$list | ForEach-Object { $PSItem }",
    r"\s-(in|notin|shl|shr)\s": "if ($a -in $list) { }",
    r"\.(ForEach|Where)\(": "$list.Where({ $_ })",
    r"::new\(": "$l = [System.Collections.ArrayList]::new()",
    r"-NoEnumerate\b": "Write-Output -NoEnumerate $list",
    r"-ErrorAction\s+Ignore\b": "Get-Item -LiteralPath $p -ErrorAction Ignore",
    r"-Raw\b": "Get-Content -LiteralPath $p -Raw",
    r"\bIsNullOrWhiteSpace\b": "[string]::IsNullOrWhiteSpace($s)",
    r"\bHasFlag\(": "$a.HasFlag([IO.FileAttributes]::ReadOnly)",
    r"\bEnumerate(Files|Directories|FileSystemEntries)\b": "[IO.Directory]::EnumerateFiles($p)",
    r"\bIs64Bit(OperatingSystem|Process)\b": "[Environment]::Is64BitOperatingSystem",
    r"\bRegistryView\b": "[Microsoft.Win32.RegistryView]::Registry64",
    r"\bOpenBaseKey\b": "[Microsoft.Win32.RegistryKey]::OpenBaseKey($h, $v)",
    r"\bHashSet\b": "New-Object System.Collections.Generic.HashSet[string]",
    r"\bTuple\b": "[Tuple]::Create(1, 2)",
    r"\.CopyTo\(": "$source.CopyTo($target)",
    r"\b(ReadLines|AppendAllLines)\(": "[System.IO.File]::ReadLines($path)",
    r"\.Restart\(\)": "$clock.Restart()",
    r"\bGetValueOrDefault\(": "$table.GetValueOrDefault($key)",
    r"^\s*(class|enum|using)\s": "class Agent {",
    r"#requires": "#Requires -Version 3.0",
}


@pytest.mark.parametrize("name", WRITTEN)
@pytest.mark.parametrize("pattern", NEWER_THAN_POWERSHELL_2)
def test_scripts_stay_within_powershell_2(name, pattern):
    offending = [number for number, line in code_lines(WRITTEN[name]) if re.search(pattern, line, re.IGNORECASE)]
    assert offending == [], f"{pattern} on lines {offending} of {name}"


@pytest.mark.parametrize("patterns", [CODE_EVALUATION, NEWER_THAN_POWERSHELL_2], ids=["evaluation", "newer"])
def test_forbidden_patterns_catch_their_examples(patterns):
    missed = [pattern for pattern, example in patterns.items() if not re.search(pattern, example, re.IGNORECASE)]
    assert missed == []


@pytest.mark.parametrize("name", ["agent (all parts)", "agent_launcher.ps1"])
@pytest.mark.parametrize("pattern", CODE_EVALUATION)
def test_agent_never_evaluates_text_as_code(name, pattern):
    offending = [number for number, line in code_lines(WRITTEN[name]) if re.search(pattern, line, re.IGNORECASE)]
    assert offending == [], f"{pattern} on lines {offending}"


def test_bootstrap_compiles_only_the_agent_lines_from_stdin():
    evaluations = [
        line.strip()
        for _, line in code_lines(BOOTSTRAP)
        if any(re.search(pattern, line, re.IGNORECASE) for pattern in CODE_EVALUATION)
    ]
    # One compilation, of the script lines that passed the digest check; the request is piped in as data.
    assert evaluations == [
        "$agent = [System.Management.Automation.ScriptBlock]::Create("
        '[string]::Join("`n", [string[]]$agentLines.ToArray()))'
    ]
    assert "$requestLines | & $agent" in BOOTSTRAP


@pytest.mark.parametrize("name", WRITTEN)
def test_method_results_never_leak_into_function_output(name):
    # ArrayList.Add, StringBuilder.Append, Stream.Seek and Directory.CreateDirectory return values;
    # unvoided, PowerShell would emit them as function output and corrupt the returned value.
    returning = re.compile(r"\.(Add|Append|AppendLine|Seek|Insert|CreateDirectory)\(")
    leaking = [
        number
        for number, line in code_lines(WRITTEN[name])
        if returning.search(line) and not re.match(r"\s*(\[void\]|\$null\s*=|\$[\w.:]+(\[[^\]]+\])*\s*=)", line)
    ]
    assert leaking == []


@pytest.mark.parametrize("name", WRITTEN)
def test_agent_avoids_automatic_variable_names_as_locals(name):
    assigned = set(re.findall(r"^\s*\$(\w+)\s*=", WRITTEN[name], re.MULTILINE))
    automatic = {
        "input", "args", "error", "event", "matches", "host", "this", "_", "foreach", "switch", "sender", "pid",
        "pshome", "home", "profile",
    }
    assert {variable.lower() for variable in assigned} & automatic == set()


def _agent_operations() -> dict[str, str]:
    return dict(re.findall(r"^\$AgentOperations\['([a-z._]+)'\] = '([\w-]+)'$", AGENT, re.MULTILINE))


def test_agent_implements_exactly_the_protocol_operations_with_defined_handlers():
    operations = _agent_operations()
    assert set(operations) == agent_protocol.OPERATIONS
    for handler in operations.values():
        assert re.search(rf"^function {re.escape(handler)} \{{$", AGENT, re.MULTILINE), handler


def test_every_error_kind_the_scripts_emit_is_part_of_the_protocol():
    kinds = set(re.findall(r"-Kind '(\w+)'", AGENT))
    kinds |= set(re.findall(r"return '(\w+)'", AGENT.split("function Get-ErrorKind", 1)[1].split("\n}\n", 1)[0]))
    kinds |= set(re.findall(r'"kind":"(\w+)"', AGENT + BOOTSTRAP))
    assert kinds, "the patterns found nothing"
    assert kinds <= agent_protocol.ERROR_KINDS


def test_scripts_use_the_same_separator_and_protocol_as_the_client():
    assert f"$separator = '{agent_protocol.REQUEST_SEPARATOR}'" in BOOTSTRAP
    assert f"Protocol = '{agent_protocol.PROTOCOL}'" in AGENT
    assert agent_protocol.REQUEST_SEPARATOR not in AGENT.splitlines()


def test_protocol_document_covers_every_operation_and_error_kind():
    document = PROTOCOL_DOC.read_text(encoding="utf-8")
    for name in sorted(agent_protocol.OPERATIONS):
        assert re.search(rf"^### [0-9.]+ .*`{re.escape(name)}`", document, re.MULTILINE), name
    for kind in sorted(agent_protocol.ERROR_KINDS):
        assert f"`{kind}`" in document, kind
    assert agent_protocol.REQUEST_SEPARATOR in document
    assert agent_protocol.PROTOCOL_MARKER in document


# Static checks for mistakes PowerShell only reports at run time (or never: an undefined
# variable is silently $null). No PowerShell is needed, so they run everywhere.
AUTOMATIC_VARIABLES = {"null", "true", "false", "_", "input", "psversiontable", "erroractionpreference", "pshome"}
EXTERNAL_COMMANDS = {
    "new-object": {"typename", "argumentlist"},
    "add-type": {"assemblyname"},
    "set-strictmode": {"off", "version"},
    "start-sleep": {"milliseconds"},
}


class ScriptModel:
    """Functions, their parameters, calls and variables of a PowerShell script, from its syntax tree."""

    def __init__(self, source: str) -> None:
        self.source = source.encode("utf-8")
        parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_powershell.language()))
        self.root = parser.parse(self.source).root_node

    def text(self, node) -> str:
        return self.source[node.start_byte : node.end_byte].decode("utf-8")

    def nodes(self, node, kind, *, stop=()):
        for child in node.children:
            if child.type == kind:
                yield child
            if child.type not in stop:
                yield from self.nodes(child, kind, stop=stop)

    def functions(self) -> dict[str, tuple[object, set[str]]]:
        found = {}
        for function in self.nodes(self.root, "function_statement"):
            name = self.text(next(self.nodes(function, "function_name")))
            parameters = set()
            for parameter in self.nodes(function, "script_parameter"):
                variable = next(child for child in parameter.children if child.type == "variable")
                parameters.add(self.text(variable)[1:].lower())
            found[name.lower()] = (function, parameters)
        return found

    def calls(self, node):
        """(command name, [named parameters]) of every command under node."""
        for command in self.nodes(node, "command"):
            names = [child for child in command.children if child.type == "command_name"]
            if not names:
                continue
            parameters = [self.text(p)[1:].lower() for p in self.nodes(command, "command_parameter", stop=("command",))]
            yield self.text(names[0]).lower(), parameters, command.start_point[0] + 1

    def variables_used(self, node) -> set[str]:
        names = {self.text(variable)[1:].lower() for variable in self.nodes(node, "variable")}
        return {name for name in names if ":" not in name and not name.startswith("{")}

    def variables_defined(self, node) -> set[str]:
        defined = set()
        for left in self.nodes(node, "left_assignment_expression"):
            variables = list(self.nodes(left, "variable"))
            if variables and self.text(left).strip() == self.text(variables[0]):
                defined.add(self.text(variables[0])[1:].lower())
        for loop in self.nodes(node, "foreach_statement"):
            defined.add(self.text(next(child for child in loop.children if child.type == "variable"))[1:].lower())
        return defined


@pytest.mark.parametrize("name", ["agent (all parts)", "agent_launcher.ps1"])
def test_every_function_call_names_a_defined_function_and_its_parameters(name):
    model = ScriptModel(WRITTEN[name])
    functions = model.functions()
    signatures = {name: parameters for name, (_, parameters) in functions.items()} | EXTERNAL_COMMANDS
    problems = []
    for command, parameters, line in model.calls(model.root):
        if command not in signatures:
            problems.append(f"line {line}: unknown command {command}")
        elif set(parameters) - signatures[command]:
            problems.append(f"line {line}: {command} has no parameter {sorted(set(parameters) - signatures[command])}")
    assert problems == []


def test_every_operation_handler_takes_only_the_arguments():
    functions = ScriptModel(AGENT).functions()
    for handler in _agent_operations().values():
        assert functions[handler.lower()][1] == {"arguments"}, handler


@pytest.mark.parametrize("name", ["agent (all parts)", "agent_launcher.ps1"])
def test_every_variable_is_defined_where_it_is_used(name):
    model = ScriptModel(WRITTEN[name])
    functions = model.functions()
    script_level = model.variables_defined(model.root) - set().union(
        *(model.variables_defined(function) for function, _ in functions.values())
    )
    problems = []
    for name, (function, parameters) in functions.items():
        known = parameters | model.variables_defined(function) | script_level | AUTOMATIC_VARIABLES
        undefined = model.variables_used(function) - known
        if undefined:
            problems.append(f"{name}: {sorted(undefined)}")
    assert problems == []
    all_parameters = set().union(*(parameters for _, parameters in functions.values()))
    known = model.variables_defined(model.root) | all_parameters | AUTOMATIC_VARIABLES
    assert model.variables_used(model.root) - known == set()


def test_bootstrap_uses_only_variables_it_defines():
    bootstrap = ScriptModel(BOOTSTRAP)
    undefined = bootstrap.variables_used(bootstrap.root) - bootstrap.variables_defined(bootstrap.root)
    assert undefined - AUTOMATIC_VARIABLES == set()


def test_the_static_checks_catch_typical_slips():
    slips = ScriptModel(
        "function Get-A {\n    param([string]$Name)\n    $x = $Nmae\n    Get-B -Nam $x\n}\n"
        "function Get-B {\n    param([string]$Name)\n    Get-C\n}\n"
    )
    functions = slips.functions()
    function, parameters = functions["get-a"]
    assert slips.variables_used(function) - parameters - slips.variables_defined(function) == {"nmae"}
    calls = {name: parameters for name, parameters, _ in slips.calls(slips.root)}
    assert calls["get-b"] == ["nam"] and "get-c" not in functions


def test_the_agent_cannot_be_built_without_its_launcher():
    with pytest.raises(ValueError, match="launcher"):
        AgentScript.from_text(AGENT, BOOTSTRAP)
