"""Dataset cards: they parse, describe the data they name (checksums, rows, labels), and render aggregates only."""

from __future__ import annotations

import dataclasses
import re

import pytest
import typer
from conftest import SENTINEL
from typer.testing import CliRunner

from mhprivbench import registry
from mhprivbench.cli_datasets import datasets_app
from mhprivbench.datasets.cards import (
    REQUIRED_KEYS,
    declared_labels,
    list_cards,
    load_card,
    render_card,
    validate_card,
)
from mhprivbench.errors import ConfigError, DataError

HEX64 = re.compile(r"[0-9a-f]{64}")


def test_every_card_parses_with_required_keys():
    cards = list_cards()
    assert {c["name"] for c in cards} >= {"synthmh", "counsel_chat", "dreaddit"}
    for card in cards:
        assert not [k for k in REQUIRED_KEYS if k not in card], card["name"]
        assert card["name"] in registry.get_all("dataset")
        hashes = card["sha256"]
        values = list(hashes.values()) if isinstance(hashes, dict) else [hashes]
        assert values and all(HEX64.fullmatch(str(v)) for v in values), f"{card['name']}: sha256 is not filled in"
        assert isinstance(card["size"], int) and card["size"] > 0
        counts = [v for v in card["labels"].values() if v is not None]
        assert len(card["labels"]) >= 2 and (not counts or sum(counts) == card["size"])
        assert card["crisis_label"] is None or card["crisis_label"] in card["labels"]
        assert len(card["prose"]) > 200 and isinstance(card["pii_present"], list)


def test_card_numbers():
    assert load_card("counsel_chat")["size"] == 2129 - 121
    assert len(load_card("counsel_chat")["labels"]) == 31
    assert load_card("dreaddit")["labels"] == {"stressed": 1488 + 369, "not_stressed": 1350 + 346}
    assert load_card("synthmh")["crisis_label"] == "suicidal_ideation"


def test_cards_declare_the_label_sets_loaders_use():
    """The card's ``labels`` keys are the task's public label set, in the card's order."""
    from mhprivbench.datasets.dreaddit import LABELS
    from mhprivbench.datasets.synthmh import CONDITIONS

    assert declared_labels("dreaddit") == ("stressed", "not_stressed") == tuple(sorted(LABELS.values(), reverse=True))
    assert set(declared_labels("synthmh")) == set(CONDITIONS) and len(CONDITIONS) == 6
    counsel = declared_labels("counsel_chat")
    assert len(counsel) == 31 and counsel[:3] == ("depression", "counseling-fundamentals", "anxiety")
    assert declared_labels("nope") is None


def test_declared_labels_of_a_bad_card(tmp_path, monkeypatch):
    monkeypatch.setenv("MHPRIVBENCH_CARDS", str(tmp_path))
    (tmp_path / "listed.md").write_text("---\nname: listed\nlabels: [b, a, 3]\n---\n")
    assert declared_labels("listed") == ("b", "a", "3")
    (tmp_path / "bad.md").write_text("---\nname: bad\nlabels: 5\n---\n")
    with pytest.raises(DataError, match=r"bad\.md: 'labels' must list the task's labels"):
        declared_labels("bad")


def test_unknown_card_is_one_line_error():
    with pytest.raises(ConfigError) as caught:
        load_card("nope")
    assert "'nope'" in str(caught.value) and "counsel_chat" in str(caught.value) and "\n" not in str(caught.value)


def test_extra_card_folder(tmp_path, monkeypatch):
    (tmp_path / "mine.md").write_text("---\nname: mine\nsize: 3\n---\nMy data.\n")
    monkeypatch.setenv("MHPRIVBENCH_CARDS", str(tmp_path))
    assert load_card("mine") == {"name": "mine", "size": 3, "prose": "My data."}


@pytest.mark.realdata
@pytest.mark.parametrize("name", ["counsel_chat", "dreaddit"])
def test_real_data_matches_its_card(name, shared_data):
    corpus = registry.get("dataset", name)(path=str(shared_data / name)).load()
    card = load_card(name)
    assert validate_card(card, corpus) == []
    assert corpus.metadata["revision"] == card["revision"] and corpus.metadata["license"] in card["license"]


@pytest.mark.realdata
def test_one_split_checks_only_its_file(shared_data):
    corpus = registry.get("dataset", "dreaddit")(path=str(shared_data / "dreaddit"), split="test").load()
    assert validate_card(load_card("dreaddit"), corpus) == []  # sha of the file read; rows not compared


def test_synthmh_matches_its_card():
    corpus = registry.create("dataset", "synthmh").load()
    assert validate_card(load_card("synthmh"), corpus) == []


def test_altered_data_is_reported(fake_counsel_chat):
    corpus = registry.get("dataset", "counsel_chat")(path=str(fake_counsel_chat)).load()
    problems = validate_card(load_card("counsel_chat"), corpus)
    assert any(p.startswith("sha256 mismatch for 20200325_counsel_chat.csv") for p in problems)
    assert "row count: data has 6, card says 2008" in problems
    assert any(p.startswith("label set differs") for p in problems)
    assert all(SENTINEL not in p and "\n" not in p for p in problems)


def test_altered_checksum_and_content_hash(fake_dreaddit):
    corpus = registry.get("dataset", "dreaddit")(path=str(fake_dreaddit)).load()
    card = load_card("dreaddit")
    forged = dataclasses.replace(corpus, metadata={**corpus.metadata, "files": card["sha256"]})
    assert not [p for p in validate_card(card, forged) if "sha256" in p]
    generated = {**card, "name": "dreaddit", "sha256": "0" * 64}
    assert [p for p in validate_card(generated, corpus) if p.startswith("content hash mismatch")]


def test_render_card_has_statistics_not_text(fake_dreaddit):
    corpus = registry.get("dataset", "dreaddit")(path=str(fake_dreaddit)).load()
    text = render_card("dreaddit", corpus)
    assert "## Computed statistics" in text and "- rows: 5" in text
    assert "- labels (2): stressed 3, not_stressed 2" in text and "- authors: 0" in text
    assert SENTINEL not in text and "Dataset card: dreaddit" in text
    assert "Computed statistics" not in render_card("dreaddit")


# --- CLI ------------------------------------------------------------------------------------------------------

def _cli(*args):
    app = typer.Typer()
    app.add_typer(datasets_app, name="datasets")

    @app.command()
    def other() -> None:  # a second command keeps "datasets" a named group
        pass

    return CliRunner().invoke(app, ["datasets", *args], terminal_width=200)


def test_cli_lists_cards():
    result = _cli()
    assert result.exit_code == 0, result.output
    for name, rows in (("synthmh", "2411"), ("counsel_chat", "2008"), ("dreaddit", "3553")):
        assert re.search(rf"{name}\s+│\s+{rows}\s", result.output), result.output


def test_cli_show_bad_name_and_altered_data(fake_counsel_chat):
    bad = _cli("show", "nope")
    assert bad.exit_code == 2 and bad.output.strip().count("\n") == 0 and "'nope'" in bad.output
    altered = _cli("show", "counsel_chat", "--path", str(fake_counsel_chat))
    assert altered.exit_code == 1 and "sha256 mismatch" in altered.output and SENTINEL not in altered.output


@pytest.mark.realdata
def test_cli_show_real_data(shared_data):
    result = _cli("show", "dreaddit", "--path", str(shared_data / "dreaddit"))
    assert result.exit_code == 0 and "verdict: OK" in result.output and "rows: 3553" in result.output
