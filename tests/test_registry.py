import dataclasses
import subprocess
import sys

import pytest

from mhprivbench import registry
from mhprivbench.errors import ConfigError, PluginNotFoundError


@registry.register("anonymizer", "reg_test_dummy")
@dataclasses.dataclass
class _Dummy:
    strength: float = 1.0

    def __post_init__(self):
        if self.strength <= 0:
            raise ValueError(f"strength must be > 0, got {self.strength}")


def test_create_and_params_round_trip():
    obj = registry.create("anonymizer", "reg_test_dummy", strength=2.5)
    assert registry.params(obj) == {"strength": 2.5}
    assert registry.params(registry.create("anonymizer", "reg_test_dummy", **registry.params(obj))) == {"strength": 2.5}


def test_unknown_name_suggests_close_match():
    with pytest.raises(PluginNotFoundError, match=r"unknown anonymizer 'reg_test_dumy'; did you mean 'reg_test_dummy'"):
        registry.create("anonymizer", "reg_test_dumy")


def test_unknown_parameter_and_invalid_value_are_config_errors():
    with pytest.raises(ConfigError, match=r"unknown parameter 'strenght'.*did you mean 'strength'"):
        registry.create("anonymizer", "reg_test_dummy", strenght=1)
    with pytest.raises(ConfigError, match="strength must be > 0"):
        registry.create("anonymizer", "reg_test_dummy", strength=-1)


def test_unknown_kind():
    with pytest.raises(ConfigError, match="unknown plugin kind"):
        registry.get("widget", "x")


def test_builtin_mechanisms_and_baselines_registered():
    assert {"identity", "regex"} <= set(registry.get_all("anonymizer"))
    assert {"ngram", "dp_ngram"} <= set(registry.get_all("generator"))
    assert {"nonprivate", "dp_logreg"} <= set(registry.get_all("trainer"))
    assert registry.get("baseline", "identity") is registry.get("anonymizer", "identity")
    assert registry.get("baseline", "nonprivate") is registry.get("trainer", "nonprivate")
    with pytest.raises(PluginNotFoundError, match="unknown baseline 'regex'"):
        registry.get("baseline", "regex")


def test_import_is_light():
    code = ("import sys, mhprivbench; mhprivbench.__version__; "
            f"heavy = [m for m in {HEAVY + ('sklearn', 'pandas')} if m in sys.modules]; "
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


HEAVY = ("torch", "transformers", "tokenizers", "opacus", "presidio_analyzer", "spacy", "sdv", "sdmetrics",
         "anonymeter", "sentence_transformers")


def test_listing_every_plugin_imports_no_heavy_library():
    """Registering (and listing the parameters of) every built-in plugin imports none of the heavy libraries: they
    load when a plugin is used, so `mhprivbench list` and suite validation stay fast."""
    code = ("import sys, dataclasses; from mhprivbench import registry; "
            "[dataclasses.fields(c) for k in registry.KINDS for c in registry.get_all(k).values()]; "
            f"print([m for m in {HEAVY} if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_third_party_plugin_registers_through_entry_point(tmp_path, monkeypatch):
    from importlib.metadata import EntryPoint

    (tmp_path / "my_mhpb_plugin.py").write_text(
        "import dataclasses\nfrom mhprivbench import register\n\n"
        "@register('anonymizer', 'third_party_upper')\n@dataclasses.dataclass\nclass Upper:\n    level: int = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    point = EntryPoint(name="mine", value="my_mhpb_plugin", group=registry.ENTRY_POINT_GROUP)
    monkeypatch.setattr(registry, "entry_points", lambda group: [point] if group == registry.ENTRY_POINT_GROUP else [])
    monkeypatch.setattr(registry, "_entry_points_loaded", False)
    assert registry.create("anonymizer", "third_party_upper", level=3).level == 3
