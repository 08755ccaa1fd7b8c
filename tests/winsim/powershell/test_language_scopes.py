"""Scopes, functions, script blocks and parameter binding (ABOUT Scopes, ABOUT Functions, SPEC ch08 §8.10,
ABOUT Splatting; semantics reference §7)."""

from __future__ import annotations

import pytest
from language_helpers import V2, V5, out, run


def test_child_scope_reads_parent_and_assignment_creates_a_local():
    assert out("$x = 1; function f { $x; $x = 2; $x }; f; $x") == ["1", "2", "1"]


def test_lookup_is_dynamic_through_the_call_stack():
    assert out("function inner { $v }; function outer { $v = 'from outer'; inner }; outer") == ["from outer"]


def test_script_and_global_scope_modifiers():
    assert out("$x = 1; function f { $script:x = 5; $global:y = 6 }; f; $x; $y") == ["5", "6"]


def test_shared_objects_are_mutated_through_any_scope():
    assert out("$h = @{}; function f { $h.a = 1 }; f; $h.a") == ["1"]


def test_dot_sourcing_runs_in_the_callers_scope():
    assert out("$sb = { $z = 3 }; & $sb; $null -eq $z; . $sb; $z") == ["True", "3"]


def test_positional_named_prefix_and_colon_binding():
    script = "function f { param($Alpha, $Beta, [switch]$Gamma) \"$Alpha|$Beta|$Gamma|$($args -join ',')\" }"
    assert out(script + "; f 1 2 3 4") == ["1|2|False|3,4"]
    assert out(script + "; f -Be 2 -Al 1 -Gamma") == ["1|2|True|"]
    assert out(script + "; f -Alpha:7 -Gamma:$false x") == ["7|x|False|"]


def test_ambiguous_prefix_is_a_binding_error():
    message = run("function f { param($Alpha, $Alps) }; f -Al 1").errors[0].message
    assert message.startswith("Parameter cannot be processed because the parameter name 'Al' is ambiguous.")


def test_an_unknown_named_argument_goes_to_args_in_a_simple_function():
    assert out("function f { $args.Count; $args[0] }; f -Nope 1") == ["2", "-Nope"]


def test_typed_parameters_convert_and_unbound_ones_take_defaults():
    script = "function f { param([int]$n, [string]$s, $d = 'dflt', [long]$l) $n.GetType().Name; \"[$s]\"; $d; $l }"
    assert out(script + "; f '5'") == ["Int32", "[]", "dflt", "0"]
    assert out("function t([string]$s) { $s }; t 1,2") == ["1 2"]


def test_explicit_null_beats_the_default():
    assert out("function f($a = 5) { $null -eq $a }; f $null") == ["True"]


def test_parameter_conversion_failure_names_the_parameter():
    message = run("function f([int]$n) { $n }; f 'abc'").errors[0].message
    assert message.startswith("Cannot process argument transformation on parameter 'n'. Cannot convert value")


def test_switch_parameter_values():
    assert out("function f([switch]$s) { $s.IsPresent; [bool]$s }; f -s; f; f -s:$false") == \
        ["True", "True", "False", "False", "False", "False"]


def test_script_block_with_param_args_and_invoke_operator():
    assert out("$sb = { param($a, $b) $a * $b; $args.Count }; & $sb 6 7 8") == ["42", "1"]


def test_splatting_a_hashtable_and_an_array():
    script = "function f($a, $b) { \"$a-$b\" }; $h = @{ b = 2; a = 1 }; $l = 'x', 'y'; f @h; f @l"
    assert out(script) == ["1-2", "x-y"]


def test_pipeline_input_reaches_process_blocks_and_input():
    script = "function sum { begin { $t = 0 } process { $t += $_ } end { $t } }; 1..4 | sum; " \
             "function all { @($input).Count }; 1..3 | all"
    assert out(script) == ["10", "3"]


def test_script_block_create_compiles_text():
    assert out("$sb = [ScriptBlock]::Create('param($n) $n + 1'); & $sb 41") == ["42"]


@pytest.mark.parametrize("version, expected", [(V2, ["2", "1"]), (V5, ["1", "1"])])
def test_compound_assignment_in_a_child_scope(version, expected):
    # semantics reference §3.13: 2.0 reads the parent's $x, 3.0+ the (empty) local one.
    assert out("$x = 1; & { $x += 1; $x }; $x", version) == expected


def test_functions_are_scoped_and_found_dynamically():
    assert out("function outer { function helper { 'inner helper' }; helper }; outer") == ["inner helper"]
    assert run("function outer { function helper { } }; outer; helper").errors[0].message.startswith(
        "The term 'helper' is not recognized")


def test_strict_mode_is_scoped_and_covers_variables_then_properties():
    assert out("function inner { try { $notSet; 'no error' } catch { $_.FullyQualifiedErrorId } }; " +
               "function outer { Set-StrictMode -Version 2.0; inner; try { 'x'.Nope } catch { " +
               "$_.FullyQualifiedErrorId } }; outer; $null -eq $notSet") == \
        ["VariableIsUndefined", "PropertyNotFoundStrict", "True"]
    assert out("Set-StrictMode -Version 1; Set-StrictMode -Off; $null -eq $nothing") == ["True"]


def test_parameter_names_ending_in_digits():
    assert out("$sb = { param($p1, $p2)\n\"$p1-$p2\"\n}\n& $sb -p2 'b' -p1 'a'") == ["a-b"]


def test_return_of_a_command_keeps_its_objects_as_written():
    assert out("function f { return Write-Output -NoEnumerate @(1, 2, 3) }; $n = 0; f | ForEach-Object { $n++ }; $n",
               V5) == ["1"]


def test_advanced_functions_refuse_arguments_without_a_parameter():
    script = "function f { [CmdletBinding()] param($a) $a }; f 3; " \
             "try { f 3 4 } catch { $_.Exception.GetType().Name }; try { f -Bogus 1 } catch { $_.Exception.Message }"
    assert out(script) == ["3", "ParameterBindingException", "A parameter cannot be found that matches parameter name "
                                                             "'Bogus'."]


def test_get_new_closure_keeps_the_variables_of_its_maker():
    assert out("function make { $v = 'inner'; { \"[$v]\" }.GetNewClosure() }; $sb = make; $v = 'outer'; & $sb") == \
        ["[inner]"]


def test_strict_mode_2_and_3_checks():
    assert out("function add($a, $b) { \"$a|$b\" }; add(1, 2); Set-StrictMode -Version 2.0; " +
               "try { add(1, 2) } catch { $_.FullyQualifiedErrorId }") == ["1 2|", "StrictModeFunctionCallWithParens"]
    assert out("$a = @(1); $null -eq $a[3]; Set-StrictMode -Version 3.0; try { $a[3] } catch { 'index error' }",
               V5) == ["True", "index error"]


def test_argument_mode_words_join_or_split_as_written():
    # about_Parsing (argument mode): quotes inside a word, $a+2 as one word, a member access ending its argument.
    script = ("$a = 4; $h = 'abc'; function count-args { $args.Length; $args[-1] }\n"
              "Write-Output a'$a' a\"$a\" a$(2) $a+2 2+2 !1\ncount-args $h.Length-more\ncount-args $a-x")
    assert out(script) == ["a$a", "a4", "a2", "4+2", "2+2", "!1", "2", "-more", "1", "4-x"]


def test_args_keeps_the_written_order_of_unbound_arguments():
    # about_Automatic_Variables ($args: the undeclared parameters and values, in the order passed)
    assert out("function c { $args -join ',' }; c 1 -x 2; c -x:3 4; function d($p) { $p; $args -join ',' }; "
               "d 1 -y 2 3") == ["1,-x,2", "-x:,3,4", "1", "-y,2,3"]


def test_a_variable_then_a_quoted_string_is_one_argument():
    # about_Parsing (argument mode): $a"text" expands as one word; single-quoted text stays verbatim.
    script = ("function f { param($p) \"[$p] $($args.Count)\" }; $a = 4\n"
              "f $a\"text\"\nf $a'te$xt'\nf $a\"x y\" z\nWrite-Output $a\"-$a\"\n\"still $a\"")
    assert out(script) == ["[4text] 0", "[4te$xt] 0", "[4x y] 1", "4-4", "still 4"]
