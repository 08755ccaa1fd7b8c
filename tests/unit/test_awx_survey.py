"""The AWX files shipped in docs/awx: the remediate survey must be accepted by AWX's survey_spec endpoint (its
rules, as its API documentation states them, are restated here) and must ask what the remediate playbook needs;
the custom credential type must inject only fields it defines."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils import kb_rules

REPO_ROOT = Path(__file__).resolve().parents[2]
SURVEY = REPO_ROOT / "docs" / "awx" / "remediate-survey.json"
CREDENTIAL_TYPE = REPO_ROOT / "docs" / "awx" / "winrm-ca-credential-type.yml"
MANIFESTS = REPO_ROOT / "plugins" / "plugin_utils" / "manifests"

# Question types AWX accepts, with the Python type a non-empty default must have.
AWX_TYPES = {
    "text": (str,),
    "textarea": (str,),
    "password": (str,),
    "integer": (int,),
    "float": (int, float),
    "multiplechoice": (str,),
    "multiselect": (str,),
}
ANSIBLE_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _choice_problems(where: str, question: dict) -> list[str]:
    qtype, default = question["type"], question.get("default", "")
    choices = question.get("choices")
    if isinstance(choices, str):
        choices = [line for line in choices.splitlines() if line.strip()]
    if not isinstance(choices, list) or not choices:
        return [f"{where}: {qtype} needs choices"]
    defaults = default.splitlines() if isinstance(default, str) else list(default)
    problems = []
    if qtype == "multiplechoice" and len(defaults) > 1:
        problems.append(f"{where}: a multiplechoice question has one default")
    if any(choice not in choices for choice in defaults):
        problems.append(f"{where}: default must be one of the choices")
    return problems


def _limit_problems(where: str, question: dict) -> list[str]:
    limits = {limit: question.get(limit) for limit in ("min", "max")}
    bad = [name for name, value in limits.items() if value is not None and type(value) is not int]
    if bad:
        return [f"{where}: {name} must be an integer or null" for name in bad]
    default = question.get("default", "")
    if default == "":
        return []
    measured = default if question["type"] in ("integer", "float") else len(default)
    low, high = limits["min"], limits["max"]
    if (low is not None and measured < low) or (high is not None and measured > high):
        return [f"{where}: default {default!r} is outside min/max"]
    return []


def _question_problems(where: str, question: object) -> list[str]:
    if not isinstance(question, dict):
        return [f"{where} is not an object"]
    fields = (("type", str), ("question_name", str), ("variable", str), ("required", bool))
    problems = [
        f"{where}: {name} must be a {kind.__name__}"
        for name, kind in fields
        if not isinstance(question.get(name), kind)
    ]
    if problems:
        return problems
    if not ANSIBLE_VARIABLE.match(question["variable"]):
        problems.append(f"{where}: {question['variable']!r} is not a valid variable name")
    qtype = question["type"]
    if qtype not in AWX_TYPES:
        return [*problems, f"{where}: type {qtype!r} is not one of {', '.join(AWX_TYPES)}"]
    default = question.get("default", "")
    if default != "" and (isinstance(default, bool) or not isinstance(default, AWX_TYPES[qtype])):
        return [*problems, f"{where}: default {default!r} does not suit type {qtype}"]
    if qtype in ("multiplechoice", "multiselect"):
        problems.extend(_choice_problems(where, question))
    elif qtype != "password":
        problems.extend(_limit_problems(where, question))
    return problems


def survey_problems(survey: object) -> list[str]:
    """What AWX would reject in a survey spec (an empty list when it is valid)."""
    if not isinstance(survey, dict):
        return ["the survey is not an object"]
    problems = [
        f"{field} must be a {kind.__name__}"
        for field, kind in (("name", str), ("description", str), ("spec", list))
        if not isinstance(survey.get(field), kind)
    ]
    if problems:
        return problems
    if not survey["spec"]:
        return ["spec has no questions"]
    seen: set[str] = set()
    for index, question in enumerate(survey["spec"]):
        problems.extend(_question_problems(f"question {index}", question))
        variable = question.get("variable") if isinstance(question, dict) else None
        if variable in seen:
            problems.append(f"question {index}: variable {variable} is duplicated")
        seen.add(variable)
    return problems


@pytest.fixture(scope="module")
def survey() -> dict:
    return json.loads(SURVEY.read_text(encoding="utf-8"))


def test_awx_would_accept_the_remediate_survey(survey):
    assert survey_problems(survey) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda s: s.pop("description"), "description must be a str"),
        (lambda s: s["spec"].clear(), "spec has no questions"),
        (lambda s: s["spec"][0].update(type="dropdown"), "question 0: type 'dropdown' is not one of"),
        (lambda s: s["spec"][0].update(required="yes"), "question 0: required must be a bool"),
        (lambda s: s["spec"][1].update(variable=s["spec"][0]["variable"]), "question 1: variable iis_hotfix_kb is"),
        (lambda s: s["spec"][0].update(default="Q1"), "question 0: default must be one of the choices"),
        (lambda s: s["spec"][3].update(default="20"), "question 3: default '20' does not suit type integer"),
        (lambda s: s["spec"][3].update(default=101), "question 3: default 101 is outside min/max"),
        (lambda s: s["spec"][2].update(min="1"), "question 2: min must be an integer or null"),
    ],
)
def test_the_checks_catch_what_awx_rejects(survey, change, problem):
    broken = json.loads(json.dumps(survey))
    change(broken)
    assert any(found.startswith(problem) for found in survey_problems(broken)), survey_problems(broken)


def test_the_survey_asks_what_the_remediate_run_needs(survey):
    questions = {question["variable"]: question for question in survey["spec"]}
    assert {
        "iis_hotfix_kb",
        "iis_hotfix_serial",
        "iis_hotfix_max_fail_percentage",
        "iis_hotfix_media_remote",
        "iis_hotfix_fix_files",
        "iis_hotfix_report_dir",
    } <= set(questions)
    assert all(variable.startswith("iis_hotfix_") for variable in questions)
    assert all(question["question_description"] for question in survey["spec"])
    assert not [question for question in survey["spec"] if question["type"] == "password"]


def test_the_kb_choices_are_those_the_remediate_role_can_carry_out(survey):
    # The role decides with iis_facts (a verdict rule) and overlays with hotfix_overlay (a manifest).
    kb = next(question for question in survey["spec"] if question["variable"] == "iis_hotfix_kb")
    with_manifest = {path.stem for path in MANIFESTS.glob("*.yml")}
    assert sorted(kb["choices"]) == sorted(with_manifest & set(kb_rules.SUPPORTED_KBS))
    assert kb["default"] == "Q197303"


def test_the_credential_type_injects_only_defined_fields():
    credential_type = yaml.safe_load(CREDENTIAL_TYPE.read_text(encoding="utf-8"))
    fields = {field["id"]: field for field in credential_type["inputs"]["fields"]}
    assert set(credential_type["inputs"]["required"]) <= set(fields)
    for field in fields.values():
        assert {"id", "type", "label"} <= set(field)
        if "choices" in field:
            assert field.get("default", field["choices"][0]) in field["choices"]
    injectors = credential_type["injectors"]
    files = {key.removeprefix("template."): value for key, value in injectors["file"].items()}
    referenced = set()
    for value in [*files.values(), *injectors["extra_vars"].values()]:
        referenced.update(re.findall(r"\{\{\s*([a-z_][a-z0-9_.]*)\s*\}\}", value))
    file_references = {name for name in referenced if name.startswith("tower.filename.")}
    assert {name.removeprefix("tower.filename.") for name in file_references} <= set(files)
    assert referenced - file_references <= set(fields)
    # The inventory keeps ansible_connection: extra variables would also send localhost over WinRM.
    assert set(injectors["extra_vars"]) == {
        "ansible_winrm_transport",
        "ansible_winrm_server_cert_validation",
        "ansible_winrm_ca_trust_path",
    }
