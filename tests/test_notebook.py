"""``notebooks/quickstart.ipynb`` runs top to bottom (nbclient + ipykernel) in under a minute, so it never rots; it
is committed without outputs, and its outputs show no dataset text (``leak_scan``)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest
from leak_scan import TextIndex

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "notebooks" / "quickstart.ipynb"
BUDGET_S = 60


def _kernel_here(folder: Path) -> None:
    """A ``python3`` kernelspec running this interpreter (the project's venv), ahead of any system-wide one."""
    spec = folder / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (mhprivbench)", "language": "python"}))


def _outputs_text(notebook) -> str:
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            parts += [str(v) for k, v in output.get("data", {}).items() if k.startswith("text/")]
    return "\n".join(parts)


def test_committed_without_outputs():
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert code and all(c["outputs"] == [] and c["execution_count"] is None for c in code)


def test_quickstart_runs_fast_and_shows_no_text(tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat", reason="pip install -e '.[dev]' (nbformat, nbclient, ipykernel)")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    _kernel_here(tmp_path / "jupyter")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    started = time.perf_counter()
    nbclient.NotebookClient(notebook, timeout=BUDGET_S, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    elapsed = time.perf_counter() - started
    assert elapsed < BUDGET_S, f"the quickstart took {elapsed:.0f} s"
    outputs = _outputs_text(notebook)
    assert "linkage top-1" in outputs and "keeps" in outputs
    assert any(o.get("output_type") == "display_data" and "image/png" in o.get("data", {})
               for c in notebook.cells for o in c.get("outputs", []))  # the plot was drawn

    import mhprivbench as mh

    index = TextIndex()
    index.add_records(mh.load_dataset("synthmh", n_personas=60).records)
    assert index.hits(outputs) == []
