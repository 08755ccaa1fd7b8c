"""Control flow: if, loops, switch, break/continue with labels, and the 2.0 foreach over $null
(ABOUT If, ABOUT Foreach, ABOUT Switch, ABOUT Break, ABOUT Continue, SPEC ch08; semantics reference §11)."""

from __future__ import annotations

import pytest
from language_helpers import V2, V5, out, run


def test_if_elseif_else_and_statement_values():
    assert out("$x = 5; if ($x -lt 3) { 'a' } elseif ($x -lt 9) { 'b' } else { 'c' }; " +
               "$r = if ($false) { 1 } else { 2 }; $r") == ["b", "2"]


@pytest.mark.parametrize("version, expected", [(V2, ["1"]), (V5, ["0"])])
def test_foreach_over_null(version, expected):
    # about_Foreach / semantics reference §3.1: 2.0 runs the body once for $null.
    assert out("$n = 0; foreach ($x in $null) { $n++ }; $n", version) == expected


def test_loops():
    assert out("for ($i = 0; $i -lt 3; $i++) { $i }; $j = 0; while ($j -lt 2) { $j++ }; $j; " +
               "do { 'once' } while ($false); $k = 0; do { $k++ } until ($k -ge 3); $k") == \
        ["0", "1", "2", "2", "once", "3"]


def test_break_and_continue_with_labels_and_across_functions():
    assert out(":outer foreach ($i in 1..3) { foreach ($j in 1..3) { if ($j -eq 2) { continue outer }; " +
               "\"$i$j\" } }") == ["11", "21", "31"]
    assert out("function f { break outer }; :outer foreach ($i in 1..3) { \"$i\"; f }; 'done'") == ["1", "done"]


def test_break_outside_a_loop_ends_the_script_quietly():
    result = run("'a'; break; 'b'")
    assert [str(o) for o in result.output] == ["a"]
    assert result.terminating is None and result.errors == []


def test_switch_forms():
    assert out("switch (1, 2, 5) { 1 { 'one' } { $_ -gt 1 } { \"big $_\" } default { 'd' } }") == \
        ["one", "big 2", "big 5"]
    assert out("switch ('abc') { 'ABC' { 'ci' } }; switch -CaseSensitive ('abc') { 'ABC' { 'cs' } default { 'no' } }")\
        == ["ci", "no"]
    assert out("switch -Wildcard ('server01') { 'serv*' { 'w' } }; switch -Regex ('a1') { '(\\d)' { $matches[1] } }")\
        == ["w", "1"]
    assert out("switch (1, 2, 3) { 2 { 'two'; break } default { $_ } }") == ["1", "two"]
    assert out("switch (1, 2, 3) { 2 { continue } default { $_ } }") == ["1", "3"]


def test_foreach_enumerator_variable():
    assert out("foreach ($n in 1, 2, 3, 4) { $n; if ($n -eq 2) { [void]$foreach.MoveNext() } }") == ["1", "2", "4"]


@pytest.mark.parametrize("version, expected", [(V2, ["System.Management.Automation.RuntimeException"]),
                                               (V5, ["System.DivideByZeroException"])])
def test_typed_catch_of_an_inner_exception(version, expected):
    assert out("$z = 0; try { 1 / $z } catch [System.DivideByZeroException] { $_.Exception.GetType().FullName }",
               version) == expected


def test_switch_clauses_compare_as_strings():
    assert out("switch ([System.DayOfWeek]::Thursday) { 4 { 'number' } 'Thursday' { 'name' } }") == ["name"]
