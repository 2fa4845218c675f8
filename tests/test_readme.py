import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_notebook_example_runs(capsys):
    text = README.read_text()
    block = re.search(r"<!-- notebook-example[^>]*-->\n```python\n(.*?)```", text, re.S)
    assert block, "README.md lost its notebook example"
    assert len(block.group(1).strip().splitlines()) <= 14
    exec(compile(block.group(1), "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "direct identifiers leaked" in out and "macro-F1" in out
