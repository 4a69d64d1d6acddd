"""The example notebook runs, and its HTML export can be shared (issue #11).

``examples/notebooks/cluster_report.ipynb`` is executed with nbclient in a
kernel of this Python (the installed gdprkit) and exported with nbconvert, as a
consultant shares a notebook. The export must hold no suppressed value (the
true value of a suppressed cell on that cell's row or under its column, found
with the detector of ``test_safe_display.py``), no raw provider number, no
passphrase and no key. Negative controls: the same detector finds every
suppressed value once the confidential detail is displayed in the notebook.
"""

from __future__ import annotations

import copy
import html.parser
import json
import pathlib
import re
import sys
from typing import List, Tuple

import pandas as pd
import pytest

import gdprkit
from test_safe_display import leaks, suppressed_cells

nbclient = pytest.importorskip("nbclient")
nbconvert = pytest.importorskip("nbconvert")
nbformat = pytest.importorskip("nbformat")
pytest.importorskip("ipykernel")

REPO = pathlib.Path(__file__).resolve().parents[2]
NOTEBOOK = REPO / "examples" / "notebooks" / "cluster_report.ipynb"
EXAMPLES = REPO / "examples"
PASSPHRASE = "the cluster's synthetic passphrase 7f3a"


class _Text(html.parser.HTMLParser):
    """The text of an HTML document (no tags, no attributes: an image's
    base64 data is not text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: List[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(document: str) -> str:
    p = _Text()
    p.feed(document)
    p.close()
    return "\n".join(p.parts)


def the_result() -> gdprkit.SuppressionResult:
    """The notebook's suppression, run here for its confidential detail."""
    table = pd.read_csv(EXAMPLES / "tables" / "cluster_age.csv")
    hier = pd.read_csv(EXAMPLES / "tables" / "practice_hierarchy.csv", keep_default_na=False)
    return gdprkit.suppress(table, dims=["practice", "age"], value="n", threshold=5,
                            hierarchies={"practice": hier}, method="heuristic")


def export(nb) -> str:
    body, _ = nbconvert.HTMLExporter().from_notebook_node(nb)
    return body


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> Tuple[object, str]:
    """The executed notebook and its HTML export (also written to a temp
    folder, to look at when the test fails)."""
    tmp = tmp_path_factory.mktemp("notebook")
    # A kernel spec of this Python, first on JUPYTER_PATH: the kernel imports
    # the gdprkit under test, whatever kernels the machine has.
    spec = tmp / "jupyter" / "kernels" / "gdprkit-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "gdprkit test", "language": "python"}))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JUPYTER_PATH", str(tmp / "jupyter"))
        mp.setenv("KLYNGE_VAULT_PASSPHRASE", PASSPHRASE)  # the kernel inherits it
        mp.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
        nbclient.NotebookClient(nb, timeout=120, kernel_name="gdprkit-test",
                                resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    body = export(nb)
    (tmp / "cluster_report.html").write_text(body, encoding="utf-8")
    return nb, body


def outputs(nb, mime: str) -> List[str]:
    return [o["data"][mime] for c in nb.cells if c.cell_type == "code"
            for o in c.get("outputs", []) if mime in o.get("data", {})]


def test_the_stored_notebook_has_no_outputs() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) >= 10 and all(not c.outputs for c in code)


def test_the_notebook_runs_and_shows_the_result(executed) -> None:
    nb, body = executed
    result = the_result()
    # The notebook's suppression is the one checked here.
    assert repr(result) in outputs(nb, "text/plain")
    assert repr(result.audit()) in outputs(nb, "text/plain")
    assert "audit='passed'" in repr(result)
    assert outputs(nb, "image/png"), "the plot is drawn"
    # Every display the notebook makes of the result is in the export.
    for needle in ("gdprkit-suppression-result", "gdprkit-suppression-audit", "secondary"):
        assert needle in body


def test_the_notebook_renders_the_displays_of_issue_11(executed) -> None:
    nb, body = executed
    text = " ".join(html_text(body).split())
    shown = " ".join(outputs(nb, "text/html"))
    # The policy's display (purposes x bases x rights, findings) and its
    # Danish titles, as the DPO reads them.
    assert "Art. 17: Ret til sletning" in text
    assert gdprkit.right_title("A17", lang="da") in text
    # The sweep's report, the vault's domains, the cross table and the
    # published HTML with the cluster guide's marker and Danish titles.
    assert repr(gdprkit.sweep_report) not in text
    assert "SweepReport" in " ".join(outputs(nb, "text/plain")) or "sweep" in shown.lower()
    assert "klynge-aarhus-2026" in text
    assert "&lt;5" in shown
    assert "klynge_tabel.xlsx" in text
    # Progress bars ran to their totals; the logger's lines carry counts.
    streams = " ".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                       for o in c.get("outputs", []) if o.get("output_type") == "stream")
    assert "gdprkit: suppress" in streams and "gdprkit: sweep" in streams


def test_the_export_holds_no_suppressed_value(executed) -> None:
    _, body = executed
    cells = suppressed_cells(the_result())
    assert len(cells) == 24
    found = leaks(body, cells, is_html=True)
    assert not found, found[:5]
    # The issue's two rows, as the old repr printed them.
    text = " ".join(html_text(body).split())
    for row in ("P14 80+ 1.0 primary", "P19 0-17 71.0 secondary", "P19 0-17 71 secondary"):
        assert row not in text


def test_the_export_holds_no_identifier_or_key(executed) -> None:
    _, body = executed
    text = html_text(body)
    report = pd.read_csv(EXAMPLES / "identifiers" / "cluster_report.csv",
                         dtype={"ydernummer": str})
    numbers = set(report["ydernummer"])
    assert len(numbers) == 8
    shown = [n for n in numbers if re.search(rf"(?<![0-9A-Za-z]){n}(?![0-9A-Za-z])", text)]
    assert not shown
    assert "ps1_" in text  # the pseudonyms are what is shown
    assert PASSPHRASE not in body
    assert "gdprkit-pseudonym-key" not in body


def test_the_detector_finds_the_detail_in_an_export(executed) -> None:
    # Negative control: the executed notebook plus one cell that displays the
    # confidential detail (HTML and plain text, as a bare expression and a
    # print would); the export now shows every suppressed value.
    nb, _ = executed
    result = the_result()
    cells = suppressed_cells(result)
    conf = result.confidential_cells()
    leaky = copy.deepcopy(nb)
    leaky.cells.append(nbformat.v4.new_code_cell(
        "result.confidential_cells()",
        outputs=[nbformat.v4.new_output(
            "execute_result", execution_count=99,
            data={"text/html": conf.to_html(), "text/plain": conf.to_string()})]))
    leaky.cells.append(nbformat.v4.new_code_cell(
        "print(result.confidential_cells())",
        outputs=[nbformat.v4.new_output("stream", name="stdout", text=conf.to_string())]))
    found = leaks(export(leaky), cells, is_html=True)
    assert len(found) >= 2 * len(cells)
    assert "P14 80+ 1.0 primary" in " ".join(html_text(export(leaky)).split())
