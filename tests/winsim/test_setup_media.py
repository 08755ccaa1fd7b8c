"""Synthetic media and Q197303 fix files: KB sizes and dates, platform machine types, determinism, the CLI."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from winsim.cli import main
from winsim.host import pe
from winsim.setup.inf import decode_inf, parse_inf

# KB Q197303's table: (platform, file) -> (size, date and time).
KB_TABLE = {
    ("x86", "Ims.inf"): (33_535, "11/25/98 08:05PM"),
    ("x86", "Imsinsc.dll"): (515_856, "12/02/98 11:29AM"),
    ("x86", "Ins.inf"): (36_868, "11/25/98 08:04PM"),
    ("alpha", "Ims.inf"): (33_628, "12/03/98 09:59PM"),
    ("alpha", "Imsinsc.dll"): (615_696, "12/02/98 11:22AM"),
    ("alpha", "Ins.inf"): (37_049, "12/03/98 10:00PM"),
}
MACHINES = {"x86": pe.MACHINE_I386, "alpha": pe.MACHINE_ALPHA}


@pytest.fixture(scope="module")
def media_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("media")
    assert main(["media", "--out", str(out)]) == 0
    return out


def _digests(root: Path) -> dict[str, tuple[str, int]]:
    return {str(p.relative_to(root)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(("platform", "name"), sorted(KB_TABLE))
def test_fix_files_have_the_kb_size_and_date(media_dir, platform, name):
    size, stamp = KB_TABLE[(platform, name)]
    path = media_dir / "fix" / platform / name

    assert path.stat().st_size == size
    expected = datetime.strptime(stamp, "%m/%d/%y %I:%M%p").replace(tzinfo=UTC)
    assert datetime.fromtimestamp(path.stat().st_mtime, UTC) == expected


@pytest.mark.parametrize("platform", ["x86", "alpha"])
def test_every_binary_is_a_pe_image_of_its_platform(media_dir, platform):
    binaries = [p for folder in ("media", "fix") for p in (media_dir / folder / platform).iterdir()
                if p.suffix.casefold() in (".dll", ".exe")]

    assert {p.name for p in binaries} >= {"setup.exe", "Imsinsc.dll", "smtpsvc.dll", "nntpsvc.dll"}
    for path in binaries:
        info = pe.read_pe(path.read_bytes())
        assert info is not None and info.machine == MACHINES[platform], path
        assert info.is_dll == (path.suffix == ".dll"), path
    helper = pe.read_pe((media_dir / "fix" / platform / "Imsinsc.dll").read_bytes())
    assert helper.file_version == "5.5.1877.24"


def test_media_hold_every_file_their_infs_copy(media_dir):
    for platform in ("x86", "alpha"):
        folder = media_dir / "media" / platform
        names = {p.name.casefold() for p in folder.iterdir()}
        for inf_name in ("Ims.inf", "Ins.inf"):
            inf = parse_inf(decode_inf((folder / inf_name).read_bytes()), inf_name)
            for sub in inf.require("Optional Components").entries():
                for files in inf.require(sub.value).fields("CopyFiles"):
                    for line in inf.require(files).entries():
                        assert line.value.casefold() in names, (platform, inf_name, line.value)


def test_original_and_fixed_infs_differ_in_where_they_register_the_service_dlls(media_dir):
    original = decode_inf((media_dir / "media" / "x86" / "Ims.inf").read_bytes())
    fixed = decode_inf((media_dir / "fix" / "x86" / "Ims.inf").read_bytes())

    assert r'HKR,Parameters,InstallPath,0,"%11%\inetsrv"' in original
    assert r'HKR,Parameters,InstallPath,0,"%32768%"' in fixed
    assert r"%11%\inetsrv" not in fixed
    for text in (original, fixed):
        assert text.startswith("; Ims.inf") and "SYNTHETIC FILE written by winsim" in text
        assert "Microsoft Corporation" not in text and "Copyright" not in text


def test_media_are_the_same_bytes_and_dates_on_every_run(media_dir, tmp_path):
    assert main(["media", "--out", str(tmp_path)]) == 0

    assert _digests(tmp_path) == _digests(media_dir)


def test_platform_option_writes_only_that_platform(tmp_path):
    result = subprocess.run([sys.executable, "-m", "winsim", "media", "--out", str(tmp_path), "--platform", "alpha"],
                            capture_output=True, text=True, check=False, cwd=Path(__file__).parents[2])

    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "media").iterdir()) == ["alpha"]
    assert sorted(p.name for p in (tmp_path / "fix").iterdir()) == ["alpha"]
    assert sorted(p.name for p in (tmp_path / "fix" / "alpha").iterdir()) == ["Ims.inf", "Imsinsc.dll", "Ins.inf"]
