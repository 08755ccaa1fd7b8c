"""Progress records name the last completed step and every step before it."""

from __future__ import annotations

import pytest

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.run_records import (
    STEPS,
    default_owner,
    progress_record_name,
    progress_value,
)


def test_progress_value_lists_the_steps_done_in_order():
    value = progress_value("Q197303", "removed", {"platform": "alpha"})
    assert value == {"kb": "Q197303", "step": "removed", "steps_done": ["started", "staged", "removed"],
                     "details": {"platform": "alpha"}}
    assert progress_value("Q197303", STEPS[-1], None)["steps_done"] == list(STEPS)


def test_unknown_step_is_refused():
    with pytest.raises(ValueError, match="step must be one of"):
        progress_value("Q197303", "rebooted", None)


def test_record_names_fit_the_agent_rules_and_owner_names_the_controller():
    assert progress_record_name("Q197303") == "iis_hotfix-Q197303"
    assert default_owner().startswith("ansible:") and "@" in default_owner()
