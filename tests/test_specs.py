import pytest

from mhprivbench.errors import ConfigError
from mhprivbench.specs import expand_grid, load_suite, parse_suite

BASE = {"name": "t", "datasets": [{"name": "synthmh", "params": {"n_personas": 20}}],
        "mechanisms": [{"kind": "baseline", "name": "identity"}]}


def _suite(**changes):
    return {**BASE, **changes}


def test_list_params_expand_into_grid_but_list_typed_params_do_not():
    specs = expand_grid("trainer", "dp_logreg", {"epsilon": [0.5, 2, 8]})
    assert [s.params["epsilon"] for s in specs] == [0.5, 2, 8]
    one = expand_grid("anonymizer", "regex", {"entities": ["EMAIL_ADDRESS", "PHONE_NUMBER"]})
    assert len(one) == 1 and one[0].params["entities"] == ["EMAIL_ADDRESS", "PHONE_NUMBER"]
    two = expand_grid("anonymizer", "regex", {"entities": [["EMAIL_ADDRESS"], ["AGE"]], "operator": ["mask", "replace"]})
    assert len(two) == 4


def test_resolved_spec_fills_defaults_and_family():
    spec = expand_grid("baseline", "identity", {})[0].resolved()
    assert spec.kind == "anonymizer"


@pytest.mark.parametrize("suite, message", [
    (_suite(mechanisms=[{"kind": "anonymizer", "name": "regexx"}]), r"mechanisms\[0\]: unknown anonymizer 'regexx'; did you mean 'regex'"),
    (_suite(colour="blue"), r"colour: unknown key"),
    (_suite(mechanisms=[{"kind": "trainer", "name": "dp_logreg", "params": {"epsilon": 0}}]), r"mechanisms\[0\].*epsilon must be"),
    (_suite(mechanisms=[{"kind": "trainer", "name": "dp_logreg", "params": {"epsilon": [1, -2]}}]), r"epsilon must be"),
    (_suite(mechanisms=[{"kind": "widget", "name": "x"}]), r"mechanisms\.0\.kind: .*unknown mechanism kind 'widget'"),
    (_suite(evaluator={"attacks": ["mia_los"]}), r"evaluator\.attacks\[mia_los\]: unknown attack 'mia_los'"),
    (_suite(evaluator={"attacks": ["mia_loss"], "reid_linkage": {}}), r"evaluator\.reid_linkage: unknown key"),
    (_suite(datasets=[{"name": "synthmh", "params": {"n_persona": 3}}]), r"datasets\[0\].*unknown parameter 'n_persona'"),
])
def test_bad_suites_give_one_line_errors(suite, message):
    with pytest.raises(ConfigError, match=message) as info:
        parse_suite(suite, source="s.yaml")
    assert "\n" not in str(info.value) and str(info.value).startswith("s.yaml: ")


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\nseeds: [0\n")
    with pytest.raises(ConfigError, match=rf"{path}:\d+: invalid YAML"):
        load_suite(path)


def test_shipped_suites_are_valid():
    for name in ("smoke", "default", "full", "dp_scale", "anonymizers", "synthetic"):
        suite = load_suite(f"benchmarks/{name}.yaml")
        assert suite.mechanism_specs()


@pytest.mark.parametrize("split, message", [
    ({"control": 0.0}, r"split\.control: Input should be greater than 0"),
    ({"train": 0.6}, r"train \+ test \+ control must be 1"),
    ({"aux_per_author": -1}, r"split\.aux_per_author: Input should be greater than or equal to 0"),
])
def test_bad_split_settings_fail_at_parse_time(split, message):
    with pytest.raises(ConfigError, match=message):
        parse_suite(_suite(split=split), source="s.yaml")


def test_empty_sweep_list_is_an_error_not_a_silent_drop():
    with pytest.raises(ConfigError, match=r"mechanisms\[0\].*'epsilon'.*empty list"):
        parse_suite(_suite(mechanisms=[{"kind": "trainer", "name": "dp_logreg", "params": {"epsilon": []}}]))
    with pytest.raises(ConfigError, match=r"datasets\[0\].*'n_personas'.*empty list"):
        parse_suite(_suite(datasets=[{"name": "synthmh", "params": {"n_personas": []}}]))


@pytest.mark.parametrize("name", ["/abs/path", "../../x", "..", ".", "a/b", "", "x" * 65, "-lead", "a b"])
def test_suite_names_that_become_paths_must_be_safe(name):
    with pytest.raises(ConfigError, match=r"^s\.yaml: name: .* is not a safe name"):
        parse_suite(_suite(name=name), source="s.yaml")


def test_safe_names_pass():
    for name in ("default", "smoke", "exp-1.2_b", "x" * 64):
        assert parse_suite(_suite(name=name)).name == name


def test_alias_bomb_fails_fast(tmp_path):
    import time

    text, previous = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n', "a"
    for name in "bcdefghi":
        text += f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]\n"
        previous = name
    path = tmp_path / "bomb.yaml"
    path.write_text(text)
    started = time.perf_counter()
    with pytest.raises(ConfigError, match="alias bomb"):
        load_suite(path)
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize("text, message", [
    ("name: a\nname: b\n", r":2: invalid YAML \(duplicate key 'name'\)"),
    ("x: &a [*a]\n", "recursive alias"),
    ("x: " + "[" * 100 + "]" * 100, "nested deeper than 32"),
    ("x: &a 1\n" + "".join(f"k{i}: *a\n" for i in range(101)), "more than 100 aliases"),
])
def test_yaml_limits(tmp_path, text, message):
    path = tmp_path / "s.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_suite(path)


def test_anchors_and_merge_keys_within_limits_still_work(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("name: t\ndatasets: [&d {name: synthmh, params: {n_personas: 20}}]\n"
                    "mechanisms: [{kind: baseline, name: identity}]\nevaluator: {<<: {attacks: [pii_leak]}}\n")
    assert load_suite(path).evaluator.attacks == ["pii_leak"]


def test_a_mechanism_restricted_to_some_datasets_gets_cells_on_those_only(tmp_path):
    from mhprivbench.runner import plan_suite

    (tmp_path / "mine.csv").write_text("text,label\n" + "".join(f"post number {i},{'ab'[i % 2]}\n" for i in range(40)))
    two = [{"name": "synthmh", "params": {"n_personas": 12}},
           {"name": "generic", "params": {"path": str(tmp_path / "mine.csv"), "name": "mine"}}]
    suite = parse_suite(_suite(datasets=two, seeds=[0, 1], mechanisms=[
        {"kind": "baseline", "name": "identity"},
        {"kind": "anonymizer", "name": "regex", "datasets": ["synthmh"]}]))
    assert [only for _, only in suite.mechanism_plan()] == [None, frozenset({"synthmh"})]
    cells = plan_suite(suite).cells
    pairs = sorted((c.dataset.name, c.mechanism.name) for c in cells)
    assert pairs == [("generic", "identity")] * 2 + [("synthmh", "identity")] * 2 + [("synthmh", "regex")] * 2
    assert {c.dataset.params["name"] for c in cells if c.dataset.name == "generic"} == {"mine"}


def test_a_restriction_to_an_unknown_dataset_is_a_one_line_error():
    with pytest.raises(ConfigError, match=r"mechanisms\[1\]\.datasets: 'dreaddit' is not a dataset of this suite "
                                          r"\(it has: synthmh\)") as caught:
        parse_suite(_suite(mechanisms=[{"kind": "baseline", "name": "identity"},
                                       {"kind": "anonymizer", "name": "regex", "datasets": ["dreaddit"]}]),
                    source="s.yaml")
    assert "\n" not in str(caught.value)
