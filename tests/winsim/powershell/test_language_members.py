"""The member binder: properties, methods, statics, indexers, [ref], overloads, and the 2.0/3.0+ differences
(ABOUT Methods, ABOUT Properties, ABOUT Ref, ABOUT Member-Access_Enumeration; semantics reference §3, §9-10)."""

from __future__ import annotations

import pytest
from language_helpers import V2, V5, out, run, types


def test_static_members_fields_and_methods():
    assert out("[int]::MaxValue; [System.IO.FileMode]::Open; [Math]::Max(1, 2); [string]::Empty.Length") == \
        ["2147483647", "Open", "2", "0"]


def test_get_type_on_every_object():
    assert out("(1).GetType().FullName; 'a'.GetType().Name; @(1).GetType().FullName; [int].GetType().FullName") == \
        ["System.Int32", "String", "System.Object[]", "System.RuntimeType"]


def test_overloads_are_chosen_by_argument_types():
    assert types("[Math]::Abs(-5); [Math]::Abs(-5.5); [Math]::Abs([long]-5)") == \
        ["System.Int32", "System.Double", "System.Int64"]
    assert out("'1p2q3'.Split('pq') -join ','; 'a-b'.Split('-').GetType().FullName") == ["1,2,3", "System.String[]"]


def test_ref_arguments_write_back_the_variable():
    assert out("$n = 0; [int]::TryParse('42', [ref]$n); $n; $r = [ref]5; $r.Value = 6; $r.Value") == \
        ["True", "42", "6"]


def test_ref_parameter_needs_a_reference():
    message = run("$n = 0; [int]::TryParse('42', $n)").errors[0].message
    assert "should be a System.Management.Automation.PSReference. Use [ref]." in message


def test_missing_properties_read_as_null_and_cannot_be_set():
    assert out("$null -eq 'abc'.NoSuchProperty; $null -eq $null.Anything") == ["True", "True"]
    assert run("$o = New-Object System.Text.StringBuilder; $o.NoSuch = 1").errors[0].message == \
        "Property 'NoSuch' cannot be found on this object; make sure it exists and is settable."


def test_dictionary_keys_first_and_case_insensitive_literals():
    assert out("$h = @{ Name = 1; Count = 5 }; $h.name; $h['NAME']; $h.Count; $h.get_Count()") == \
        ["1", "1", "5", "2"]
    assert out("$h = New-Object System.Collections.Hashtable; $h['A'] = 1; $null -eq $h['a']") == ["True"]


def test_indexing_strings_arrays_and_slices():
    assert out("'abc'[1]; ('abc'[1]).GetType().Name; (1, 2, 3)[-1]; ((1, 2, 3)[0, 2]) -join ','; " +
               "$null -eq (1, 2)[5]") == ["b", "Char", "3", "1,3", "True"]


def test_array_element_write_out_of_range_is_index_out_of_range():
    assert out("$a = New-Object 'int[]' 2; try { $a[5] = 1 } catch [System.IndexOutOfRangeException] { 'ioor' }") \
        == ["ioor"]


@pytest.mark.parametrize("version, expected", [(V2, ["", "", "True"]), (V5, ["1", "0", "1,2"])])
def test_count_on_scalars_and_member_enumeration(version, expected):
    script = "$one = 5; $one.Count; $null.Count; $a = @(@{ n = 1 }, @{ n = 2 }); " \
             "if ($version -eq 2) { $null -eq $a.n } else { $a.n -join ',' }"
    assert out(script.replace("$version", str(version[0])), version) == expected


def test_new_static_method_is_5_only():
    assert out("([System.Text.StringBuilder]::new('x')).ToString()", V5) == ["x"]
    assert run("[System.Text.StringBuilder]::new('x')", V2).errors[0].message == \
        "Method invocation failed because [System.Text.StringBuilder] doesn't contain a method named 'new'."


def test_new_object_argument_list_spreads_an_array():
    assert out("$sb = New-Object System.Text.StringBuilder -ArgumentList 'abc', 10; $sb.ToString(); $sb.Capacity") \
        == ["abc", "10"]


def test_psbase_reaches_properties_behind_keys():
    assert out("$h = @{ keys = 'k'; other = 1 }; $h.keys; @($h.psbase.Keys).Count; $h.psbase.Count") == \
        ["k", "2", "2"]


def test_ilist_indexes_like_an_array():
    assert out("$l = New-Object System.Collections.ArrayList; [void]$l.Add('a'); [void]$l.Add('b'); " +
               "$null -eq $l[5]; $l[-1]") == ["True", "b"]


def test_a_method_named_without_parentheses_is_a_method_object():
    assert out("$m = 'abc'.ToUpper; $m -is [System.Management.Automation.PSMethodInfo]; $m.Name; $m.Invoke()") == \
        ["True", "ToUpper", "ABC"]


def test_new_object_with_a_parenthesised_argument_list():
    assert out("$l = New-Object System.Collections.ArrayList(,@(1, 2)); $l.Count; New-Object System.String('x', 3)") \
        == ["2", "xxx"]


def _declare_gated_type():
    from winsim.powershell.clr.typesystem import REGISTRY, clr_type, method
    if REGISTRY.get("WinsimTests.ClrGate") is not None:
        return

    def added_in_4(rt):
        return "four"
    added_in_4.__clr_since__ = (4, 0)

    @clr_type("WinsimTests.ClrGate")
    class ClrGate:
        @method("Old", returns="string", static=True)
        @staticmethod
        def old(rt):
            return "two"

        new = staticmethod(method("New4", returns="string", static=True)(added_in_4))


@pytest.mark.parametrize("version, expected", [(V2, ["two", "missing"]), (V5, ["two", "four"])])
def test_members_marked_clr_4_exist_only_on_clr_4(version, expected):
    _declare_gated_type()
    script = "[WinsimTests.ClrGate]::Old(); try { [WinsimTests.ClrGate]::New4() } catch { 'missing' }"
    assert out(script, version) == expected


def test_method_calls_enumerate_over_collections_on_5_only():
    assert out("('ab', 'cd').ToUpper()", V5) == ["AB", "CD"]
    assert run("('ab', 'cd').ToUpper()", V2).errors[0].message == \
        "Method invocation failed because [System.Object[]] doesn't contain a method named 'ToUpper'."


def test_repeated_calls_through_a_call_site_keep_their_meaning():
    # A call site caches the overload and skips conversions once it knows the argument types: an empty params
    # array, an array of the parameter's own type and a reference-typed result must still arrive right.
    script = ("$c = [char[]]'x'; $sb = New-Object System.Text.StringBuilder; "
              "foreach ($s in 'ax  ', 'bxx ') { $s.TrimEnd().Length; $s.TrimEnd().TrimEnd($c); "
              "$s.IndexOfAny($c, 0); [void]$sb.Append($s.Trim()).Append(';') }; $sb.ToString()")
    assert out(script) == ["2", "a", "1", "3", "b", "1", "ax;bxx;"]


def test_null_argument_leaves_overloads_differing_only_there_ambiguous():
    # lang-spec §3.7.4: no parameter-type tie-break for $null; a typed argument picks the overload.
    script = "try { [Math]::Round($null) } catch { $_.Exception.Message; $_.FullyQualifiedErrorId }; [Math]::Round(2.5)"
    assert out(script) == ['Multiple ambiguous overloads found for "Round" and the argument count: "1".',
                           "MethodCountCouldNotFindBest", "2"]


def test_an_object_cast_index_reads_an_ordered_dictionary_by_key():
    # about_Hash_Tables: an int index of an ordered dictionary is a position, [Object]1 the key 1.
    script = ("$d = [ordered]@{ 1 = 'one'; 2 = 'two' }; $d[1]; $d[[Object]1]; $d[[System.Object]2]; "
              "$h = @{ 1 = 'x' }; $h[[object]1]")
    assert out(script, V5) == ["two", "one", "two", "x"]


def test_where_and_foreach_methods_from_4_0():
    # about_Arrays (Methods of arrays): Where(block[, mode[, count]]) and ForEach(block | type | member[, args]).
    script = ("(1, 2, 3).Where({ $_ -gt 1 }) -join ','; (1, 2, 3).ForEach({ $_ * 2 }) -join ','; "
              "('x', 'yy').ForEach('Length') -join ','; ('x', 'yy').ForEach('ToUpper') -join ','; "
              "('1', '2').ForEach([int])[1].GetType().Name; (1..6).Where({ $_ % 2 }, 'Last'); "
              "(1..6).Where({ $_ -gt 3 }, 'SkipUntil', 2) -join ','; (1..6).Where({ $_ -gt 3 }, 'Until') -join ','; "
              "$matched, $others = (1..4).Where({ $_ -gt 2 }, 'Split'); $matched -join ','; $others -join ','; "
              "$_ = 'kept'; (7).ForEach({ $_ }); $_")
    assert out(script, V5) == ["2,3", "2,4,6", "1,2", "X,YY", "Int32", "5", "4,5", "1,2,3", "3,4", "1,2", "7", "kept"]
    assert "doesn't contain a method named 'ForEach'" in run("(1, 2).ForEach({ $_ })", V2).errors[0].message


def test_a_type_literal_then_a_comma_is_a_method_argument_of_its_own():
    # lang-spec §8.4.4: `[int], 3` is a list of two items, not a cast; in an argument list, two arguments.
    script = ("$a = [array]::CreateInstance([int], 3); $a.Length; $a.GetType().FullName; "
              "{ $args.Count }.Invoke([int], [long], 4); [Math]::Max([int]2, 3)")
    assert out(script) == ["3", "System.Int32[]", "3", "3"]
