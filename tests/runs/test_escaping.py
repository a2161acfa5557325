"""Words a user typed (scenario name, description) never become markup in a rendered page.

Scenario files carrying script-injection payloads are rendered through `simlib run` and
`simlib batch`; each page is opened in a real browser (Debian chromium through Playwright)
with the network cut off, and must run nothing (no dialog, no ``data-pwned`` attribute, no
injected element) while showing the typed text literally.
"""

from __future__ import annotations

import json

import browser_support as bs
import pytest
from support import run_simlib

from simlib.reports import text as report

PWN = "document.body.setAttribute('data-pwned','X')"
PAYLOADS = {  # file stem -> (name, description)
    "script": ("<script>alert(1)</script>", f"<script>{PWN}</script>"),
    "attr": ('x"><img src=x onerror=alert(2)>', '"><img src=x onerror=alert(2)> [l](javascript:alert(4))'),
    "svg": ("svg <svg onload=alert(3)>", f'<svg onload="{PWN}"></svg> <iframe src="javascript:{PWN}"></iframe>'),
    "markdown": (
        "**bold** [l](javascript:alert(5)) $x$",
        "# heading\n- item <b onmouseover=alert(6)>b</b> `code` [x]: javascript:alert(7) | a | b |",
    ),
}
INJECTED = (
    "script:not([src])",
    "img[src='x']",
    "svg[onload]",
    "iframe",
    "a[href^='javascript']",
    "b[onmouseover]",
    "[data-pwned]",
)


def scenario_yaml(name: str, description: str) -> str:
    return (
        f"name: {json.dumps(name)}\ndescription: {json.dumps(description)}\ndraws: 50\nlevers:\n  simplification: 0.5\n"
    )


def test_plain_makes_markdown_and_html_inert():
    from nbconvert.filters.markdown import markdown2html

    for name, description in PAYLOADS.values():
        for words in (name, description):
            rendered = markdown2html(f"# {report.plain(words)}\n\n*{report.plain(words)}*")
            assert "<script" not in rendered and "<img" not in rendered and "<svg" not in rendered
            assert "<iframe" not in rendered and 'href="javascript' not in rendered and "<b " not in rendered
            assert "<strong>" not in rendered and "<code>" not in rendered and "<li>" not in rendered
    assert report.plain("a  b\n\nc") == "a b c"


def test_headings_and_notes_escape_their_text_fields():
    h = report.heading("report_title", "en", level=1, name="<script>x</script>", unit="Hà Nội")
    assert "<script>" not in h and "&lt;script&gt;" in h
    assert report.note("batch_dir", "en", name="[a](javascript:b)", ok=1, failed=0).count("\\[") == 1


def _texts(page) -> str:
    return page.evaluate("() => document.body.innerText")


def check_page(browser, path, expected: list[str]) -> None:
    """Open ``path`` offline; nothing may run and every expected text must show literally."""
    context, _blocked = bs.offline_context(browser)
    dialogs: list[str] = []
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(path.as_uri(), wait_until="load")
        page.wait_for_timeout(300)
        bs.screenshot(page, f"escaping-{path.parent.name}-{path.stem}")
        assert dialogs == [], f"{path}: a dialog opened: {dialogs}"
        assert page.evaluate("() => document.body.getAttribute('data-pwned')") is None
        for selector in INJECTED:
            assert page.query_selector_all(selector) == [], f"{path}: injected {selector}"
        shown = " ".join(_texts(page).split())
        for words in expected:
            assert " ".join(words.split()) in shown, f"{path}: {words!r} is not shown literally"
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.notebook
@pytest.mark.slow
def test_run_report_shows_payloads_literally(tmp_path, browser):
    name, description = PAYLOADS["svg"][0], PAYLOADS["script"][1] + " " + PAYLOADS["attr"][1]
    (tmp_path / "evil.yaml").write_text(scenario_yaml(name, description), encoding="utf-8")
    proc = run_simlib(["run", "evil.yaml", "--out", "out", "--lang", "en"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    html_text = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "<svg onload" not in html_text and "<script>document" not in html_text
    check_page(browser, tmp_path / "out" / "report.html", [name, description])
    onepager = tmp_path / "out" / "onepager.html"
    assert onepager.is_file(), "the one-page summary was not written"
    check_page(browser, onepager, [name])


@pytest.mark.browser
@pytest.mark.notebook
@pytest.mark.slow
def test_batch_reports_and_index_show_payloads_literally(tmp_path, browser):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    for stem, (name, description) in PAYLOADS.items():
        (folder / f"{stem}.yaml").write_text(scenario_yaml(name, description), encoding="utf-8")
    proc = run_simlib(["batch", "scenarios", "--out", "batch", "--workers", "2"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads((tmp_path / "batch" / "manifest.json").read_text(encoding="utf-8"))
    for row in manifest["scenarios"]:
        name, description = next(v for v in PAYLOADS.values() if v[0] == row["name"])
        check_page(browser, tmp_path / "batch" / row["report"], [name, description])
    check_page(
        browser,
        tmp_path / "batch" / "index.html",
        [name for name, _ in PAYLOADS.values()] + [d for _, d in PAYLOADS.values()],
    )
