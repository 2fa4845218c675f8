import json
from pathlib import Path

import pytest

from mhprivbench.errors import ResultError
from mhprivbench.results import json_schema, read_result, upgrade

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "results" / "schema" / "v1.json"


def test_committed_schema_matches_model():
    assert json.loads(SCHEMA_FILE.read_text()) == json_schema(), (
        "results/schema/v1.json is stale: regenerate with "
        "python -c 'import json,mhprivbench.results as r; print(json.dumps(r.json_schema(), indent=2))'")


def test_unknown_schema_version_rejected(tmp_path):
    with pytest.raises(ResultError, match="schema_version 99"):
        upgrade({"schema_version": 99})
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"schema_version": 1, "run_id": "x"}))
    with pytest.raises(ResultError, match=str(path)):
        read_result(path)
