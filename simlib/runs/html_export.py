"""A report notebook's executed copy as a self-contained HTML page (nbconvert), and its print CSS."""

from __future__ import annotations

from functools import cache
from pathlib import Path

PRINT_CSS = (  # the report on paper (A4): no margins wasted, figures and tables kept whole, colours kept
    "@page{size:A4;margin:14mm 12mm}"
    "body{font-size:10pt;background:#fff!important}"
    ".jp-Notebook,.jp-Cell,.jp-OutputArea{padding:0!important;margin:0!important}"
    "img{max-width:100%!important;page-break-inside:avoid;break-inside:avoid}"
    "table{page-break-inside:auto;font-size:8.5pt}tr,img,figure{page-break-inside:avoid;break-inside:avoid}"
    "h1,h2,h3{page-break-after:avoid;break-after:avoid}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "a{color:inherit;text-decoration:none}"
)
_TEMPLATE = (
    """{%- extends "lab/index.html.j2" -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block extra_css -%}<style media="print">"""
    + PRINT_CSS
    + """</style>{%- endblock extra_css -%}
"""
)


def to_html(notebook_file: Path, title: str, lang: str) -> str:
    """The executed notebook as a self-contained page: no code, no prompts, no stderr, no scripts.

    Figures are the notebook's inline PNGs (base64 in the page); the lab template's
    scripts from public CDNs (require.js, MathJax, mermaid, widget manager) are left out so
    the page opens offline without waiting on the network.
    """
    from .nbimports import skip_iri_grammar

    skip_iri_grammar()
    import nbformat

    nb = nbformat.read(str(notebook_file), as_version=4)
    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            cell.outputs = [
                o
                for o in cell.get("outputs", [])
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]
    nb.metadata.pop("widgets", None)
    body, _ = _exporter(lang).from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


@cache
def _exporter(lang: str):
    """One HTML exporter per language and process (its templates are loaded once)."""
    import jinja2

    from .nbimports import skip_iri_grammar

    skip_iri_grammar()
    from nbconvert import HTMLExporter

    return HTMLExporter(
        extra_loaders=[jinja2.DictLoader({"simlib_report.html.j2": _TEMPLATE})],
        template_file="simlib_report.html.j2",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        language_code=lang,
    )
