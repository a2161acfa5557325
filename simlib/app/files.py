"""Saving and loading the lever explorer's settings: Download / Upload in the browser, or
``save`` / ``load`` of a .yaml file in the one server folder (``scenarios`` under the panel's root).

``ScenarioFiles`` is the part of ``LeverExplorer`` that handles files; it reads the panel's
``controller`` (the state), ``folder``, ``lang`` and the widgets ``file_status`` and ``download``,
and redraws through the panel's ``_render`` and ``_sync_controls``.
"""

from __future__ import annotations

import base64
import html
import re
import tempfile
from pathlib import Path, PurePath

from ..engine import atomic, safetext
from ..engine.errors import InputError, Issue, short
from ..engine.scenario import load_yaml
from ..reports.i18n import say
from ..runs.render import dir_name
from .formatting import issue_text
from .panel_html import escape_text

SCENARIO_FOLDER = "scenarios"  # the one server folder save()/load() may use, inside ``root``
MAX_UPLOAD_BYTES = 64 * 1024  # a scenario file is a few hundred bytes


def file_name(scenario_name: str, suffix: str, default: str) -> str:
    """A downloaded file's name from the scenario's name, as a batch run names its report folder
    (diacritics dropped: 'Hà Nội nhanh' → 'Ha-Noi-nhanh' + ``suffix``); ``default`` + ``suffix`` for a
    scenario left unnamed or a name with no letter or digit."""
    from ..engine.scenario import Scenario

    stem = dir_name(scenario_name)[:60].rstrip("-.") if scenario_name != Scenario.name else ""
    return f"{stem or default}{suffix}"


class ScenarioFiles:
    """Download, Upload, save and load of the panel's scenario (mixed into ``LeverExplorer``)."""

    def scenario_yaml(self) -> str:
        """The current settings as a scenario YAML file's text (what Download gives)."""
        return self._scenario.to_yaml()

    def download_name(self) -> str:
        """The downloaded file's name: the scenario's name as a portable file name, as a batch run
        names its report folder (diacritics dropped: 'Hà Nội nhanh' → 'Ha-Noi-nhanh.yaml')."""
        return file_name(self._scenario.name, ".yaml", "scenario")

    def _in_folder(self, name: str | Path) -> Path | None:
        """``name`` inside the scenarios folder, or None when it is not a plain .yaml file name
        (control characters such as NUL, and text that is not valid Unicode, are not)."""
        text = str(name).strip()
        if safetext.bad_character(text) is not None:  # the one rule for typed text: no NUL, ESC, lone surrogate…
            return None
        pure = PurePath(text)
        if (
            not text
            or pure.is_absolute()
            or len(pure.parts) != 1
            or pure.name in (".", "..")
            or "/" in text
            or "\\" in text
            or pure.suffix.lower() not in (".yaml", ".yml")
        ):
            return None
        target = self.folder / pure.name
        try:
            if target.resolve().parent != self.folder.resolve():  # a link out of the folder
                return None
        except (OSError, ValueError):
            return None
        return target

    def _bad_name(self, name, action: str) -> bool:
        """Say that ``name`` is not a file name in the scenarios folder; return False."""
        lang = self.lang
        issue = Issue(say("panel.file_name", lang), str(name), i18n_allowed_name(lang, self.folder))
        if action == "save_failed":
            self._set_file_status(
                "error", say("panel.save_failed", lang, path=short(str(name)), error=issue_text(issue, lang))
            )
        else:
            self._set_file_status("error", say("panel.load_failed", lang), [issue_text(issue, lang)])
        return False

    def save(self, name: str | Path, overwrite: bool = False) -> bool:
        """Write the current settings as ``name`` (a .yaml file name) in the scenarios folder,
        atomically; the status line says how it went. No other server path can be written and
        no folder but the scenarios folder itself is ever created. An existing file is replaced
        only when ``overwrite`` is true or Save is asked twice."""
        target = self._in_folder(name)
        lang = self.lang
        if target is None:
            return self._bad_name(name, "save_failed")
        try:
            if target.exists() and not overwrite and self._confirm_overwrite != target:
                self._confirm_overwrite = target
                self._set_file_status("error", say("panel.exists", lang, path=target))
                return False
            scenario = self._scenario.with_(name=target.stem[:80])
            if not self.folder.is_dir():
                self.folder.mkdir()  # the configured folder only, never its parents
            atomic.write_text(target, scenario.to_yaml())
            self.controller.scenario = scenario
        except InputError as exc:
            self._set_file_status(
                "error",
                say("panel.save_failed", lang, path=target, error="; ".join(issue_text(i, lang) for i in exc.issues)),
            )
            return False
        except (OSError, ValueError) as exc:
            self._set_file_status(
                "error", say("panel.save_failed", lang, path=target, error=getattr(exc, "strerror", None) or exc)
            )
            return False
        self._confirm_overwrite = None
        self._set_file_status("ok", say("panel.saved", lang, path=target))
        self._render_download()
        return True

    def load(self, name: str | Path) -> bool:
        """Open ``name`` (a .yaml file name in the scenarios folder); if it is not valid, say why
        and change nothing."""
        target = self._in_folder(name)
        if target is None:
            return self._bad_name(name, "load_failed")
        return self._adopt_file(target, str(target), say("panel.loaded", self.lang, name="{name}", path=target))

    def load_text(self, content: bytes | str, file_name: str = "scenario.yaml") -> bool:
        """Open a scenario from a file's content (what Upload sends), with the same checks as a
        scenario file; nothing is kept on the server."""
        lang = self.lang
        data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
        shown = PurePath(str(file_name)).name[:80] or "scenario.yaml"
        problems = []
        if PurePath(shown).suffix.lower() not in (".yaml", ".yml"):
            problems.append(issue_text(Issue(say("panel.file_name", lang), shown, "a .yaml or .yml file"), lang))
        if len(data) > MAX_UPLOAD_BYTES:
            problems.append(f"{shown}: {say('panel.upload_too_big', lang, limit=MAX_UPLOAD_BYTES // 1024)}")
        if problems:
            self._set_file_status("error", say("panel.load_failed", lang), problems)
            return False
        stem = re.sub(r"[^A-Za-z0-9_-]+", "_", PurePath(shown).stem)[:60] or "scenario"
        with tempfile.TemporaryDirectory(prefix="simlib-upload-") as folder:
            path = Path(folder) / f"{stem}.yaml"
            path.write_bytes(data)
            return self._adopt_file(path, shown, say("panel.uploaded", lang, name="{name}", file=shown))

    def _adopt_file(self, path: Path, shown: str, ok_text: str) -> bool:
        lang = self.lang
        try:
            scenario = load_yaml(path)
        except InputError as exc:
            self._set_file_status(
                "error",
                say("panel.load_failed", lang),
                [issue_text(replace_where(i, str(path), shown), lang) for i in exc.issues],
            )
            return False
        except (OSError, KeyError, ValueError) as exc:
            self._set_file_status("error", say("panel.load_failed", lang), [f"{shown}: {exc}"])
            return False
        try:
            self.controller.adopt(scenario)
        except Exception as exc:  # noqa: BLE001 - reported as text, state restored
            self._render()
            self._set_file_status("error", say("panel.load_failed", lang), [f"{type(exc).__name__}: {exc}"])
            return False
        self._value_note = None
        self._sync_controls()
        self._render()
        self._confirm_overwrite = None
        self._set_file_status("ok", ok_text.replace("{name}", scenario.name))
        return True

    def _set_file_status(self, kind: str, text: str, details: list[str] | None = None) -> None:
        colour = "#1a7f37" if kind == "ok" else "#a01010"
        items = "".join(f"<li>{escape_text(d)}</li>" for d in (details or []))
        self.file_status.value = (
            f'<div class="file-{kind}" style="color:{colour}">{escape_text(text)}'
            f"{'<ul>' + items + '</ul>' if items else ''}</div>"
        )

    def _render_download(self) -> None:
        """The Download link: the scenario YAML in the link itself (nothing is written on the server);
        and the words the page script needs to refuse a file too big to upload before it is sent
        (a file of megabytes would not even reach the panel: the connection drops it)."""
        data = base64.b64encode(self.scenario_yaml().encode("utf-8")).decode("ascii")
        lang = self.lang
        self.download.value = (
            f'<a class="download-scenario jupyter-button" download="{html.escape(self.download_name())}" '
            f'href="data:application/x-yaml;charset=utf-8;base64,{data}" '
            f'style="display:inline-block;padding:0 10px;line-height:28px;text-decoration:none">'
            f"⬇ {escape_text(say('panel.download_scenario', lang))}</a>"
            f'<span class="upload-words" hidden data-limit="{MAX_UPLOAD_BYTES}" '
            f'data-load-failed="{html.escape(say("panel.load_failed", lang))}" '
            f'data-too-big="{html.escape(say("panel.upload_too_big", lang, limit=MAX_UPLOAD_BYTES // 1024))}"></span>'
        )


def replace_where(issue: Issue, path: str, shown: str) -> Issue:
    """The issue with a temporary file's path replaced by the name the user knows."""
    return Issue(issue.where.replace(path, shown), issue.value, issue.allowed)


def i18n_allowed_name(lang: str, folder: Path) -> str:
    return say("panel.not_a_file_name", lang, folder=folder.name)
