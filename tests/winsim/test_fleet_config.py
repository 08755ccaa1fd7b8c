"""Fleet definitions: what `--hosts` and fleet files turn into, and the errors a typo gets."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from winsim.addressing import address_for
from winsim.fleet_config import FleetConfigError, load_fleet_file, parse_hosts_spec
from winsim.inventory import build_inventory


def test_hosts_spec_names_hosts_profile_dash_n():
    hosts = parse_hosts_spec("iis4-default:2,no-iis:1")
    assert [h.name for h in hosts] == ["iis4-default-1", "iis4-default-2", "no-iis-1"]
    assert [h.profile for h in hosts] == ["iis4-default", "iis4-default", "no-iis"]
    # Windows' WinRM defaults unless a fleet file says otherwise.
    assert all(h.listeners == ["https"] and not h.auth_basic and not h.allow_unencrypted for h in hosts)


@pytest.mark.parametrize("spec", ["iis4-default:0", "iis4-default:two", ","])
def test_bad_hosts_spec_is_refused(spec):
    with pytest.raises(FleetConfigError):
        parse_hosts_spec(spec)


def test_fleet_file_defaults_counts_and_overrides(tmp_path: Path):
    path = tmp_path / "fleet.yml"
    path.write_text(yaml.safe_dump({
        "defaults": {"password": "S3cret!", "listeners": ["http"]},
        "hosts": [
            {"profile": "iis4-default", "count": 2},
            {"name": "web", "profile": "iis4-default", "listeners": ["https"],
             "overrides": {"smtp_queue_messages": 7}, "faults": [{"action": "drop", "on_request": 3}]},
        ],
    }), encoding="utf-8")
    hosts = {h.name: h for h in load_fleet_file(path)}
    assert sorted(hosts) == ["iis4-default-1", "iis4-default-2", "web"]
    assert hosts["iis4-default-1"].listeners == ["http"]
    assert hosts["web"].listeners == ["https"] and hosts["web"].password == "S3cret!"
    assert hosts["web"].overrides == {"smtp_queue_messages": 7}
    assert hosts["web"].faults[0].on_request == 3


@pytest.mark.parametrize(("entry", "message"), [
    ({"profile": "no-iis", "lisener": ["http"]}, "unknown keys: lisener"),
    ({"profile": "no-iis", "listeners": ["ftp"]}, "listeners must be"),
    ({"profile": "no-iis", "faults": [{"action": "explode", "on_request": 1}]}, "fault action must be"),
    ({"profile": "no-iis", "faults": [{"action": "drop"}]}, "exactly one of on_request"),
    ({"profile": "no-iis", "faults": [{"action": "drop", "probability": 2}]}, "between 0 and 1"),
    ({"name": "bad name", "profile": "no-iis"}, "letters, digits"),
    # issue 9, item 7: a profile's overrides are checked when the file is read, not in the daemon
    ({"name": "q", "profile": "iis4-kb", "overrides": {"iis_path": 'C:\\In"etsrv'}},
     "host 'q': iis_path .* is not a valid Windows path"),
    ({"name": "q", "profile": "iis4-kb", "overrides": {"iis_path": "%FOO%\\Inetsrv"}},
     "host 'q': iis_path .* must be an absolute path"),
    ({"name": "q", "profile": "iis9"}, "host 'q': unknown profile 'iis9'"),
])
def test_fleet_file_mistakes_are_named(tmp_path: Path, entry, message):
    path = tmp_path / "fleet.yml"
    path.write_text(yaml.safe_dump({"hosts": [entry]}), encoding="utf-8")
    with pytest.raises(FleetConfigError, match=message):
        load_fleet_file(path)


def test_duplicate_names_are_refused_case_insensitively(tmp_path: Path):
    path = tmp_path / "fleet.yml"
    path.write_text(yaml.safe_dump({"hosts": [{"name": "Web", "profile": "no-iis"},
                                              {"name": "web", "profile": "no-iis"}]}), encoding="utf-8")
    with pytest.raises(FleetConfigError, match="used twice"):
        load_fleet_file(path)


def test_inventory_carries_every_connection_variable(tmp_path: Path):
    https, http = parse_hosts_spec("iis4-default:1")[0], parse_hosts_spec("no-iis:1")[0]
    http.listeners = ["http"]
    inventory = build_inventory([(https, "127.40.1.10"), (http, "127.40.1.11")], tmp_path / "ca.pem")
    groups = inventory["all"]["children"]["windows"]["children"]
    secure = groups["profile_iis4_default"]["hosts"]["iis4-default-1"]
    assert secure["ansible_host"] == "127.40.1.10" and secure["ansible_port"] == 5986
    assert secure["ansible_winrm_server_cert_validation"] == "validate"
    assert secure["ansible_winrm_ca_trust_path"] == str(tmp_path / "ca.pem")
    plain = groups["profile_no_iis"]["hosts"]["no-iis-1"]
    assert plain["ansible_port"] == 5985 and plain["ansible_winrm_scheme"] == "http"
    assert plain["ansible_winrm_transport"] == "ntlm" and plain["ansible_winrm_message_encryption"] == "always"


def test_addresses_are_distinct_loopback_addresses_for_hundreds_of_hosts():
    addresses = [address_for((60, 5), i) for i in range(600)]
    assert len(set(addresses)) == 600
    assert all(a.startswith("127.60.") for a in addresses)


def test_setup_time_scale_is_a_fleet_setting_saved_with_the_fleet(tmp_path: Path, monkeypatch):
    from winsim import daemon
    from winsim.fleet_config import load_fleet_settings
    from winsim.setup.timing import SCALE_VARIABLE

    path = tmp_path / "fleet.yml"
    path.write_text(yaml.safe_dump({"setup_time_scale": 0, "hosts": [{"profile": "no-iis"}]}), encoding="utf-8")
    hosts = load_fleet_file(path)
    daemon.save_fleet(tmp_path, hosts, settings=load_fleet_settings(path))
    daemon.save_fleet(tmp_path, hosts, (1, 2))  # the daemon saving its address block keeps the settings
    assert daemon.load_settings(tmp_path) == {"setup_time_scale": 0}
    monkeypatch.delenv(SCALE_VARIABLE, raising=False)
    daemon.apply_settings(daemon.load_settings(tmp_path))
    assert os.environ[SCALE_VARIABLE] == "0"

    path.write_text(yaml.safe_dump({"setup_time_scale": -1, "hosts": [{"profile": "no-iis"}]}), encoding="utf-8")
    with pytest.raises(FleetConfigError, match="setup_time_scale must be a number >= 0"):
        load_fleet_settings(path)
