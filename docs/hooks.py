"""MkDocs hooks: the site is generated from the code it documents.

``mkdocs.yml`` names this file under ``hooks:``.

* The rule pages never exist on disk; they are rendered by
  :mod:`copydesk.docgen` from the rules' own metadata and docstrings on
  every build.
* A line ``<!-- copydesk-run: ARGS -->`` in a page is replaced by a console
  block showing ``copydesk ARGS`` and what it really printed, run in
  ``docs/samples/`` (``copydesk-run-in-repo``: in the repository root).
  Output examples are never typed by hand, so they cannot drift from the
  program. ``<!-- copydesk-file: PATH -->`` shows a file of
  ``docs/samples/`` (``copydesk-file-in-repo``: of the repository) as a
  code block, so a page shows the input it ran on, and the plugin guide
  shows the example package's files as they are.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from copydesk import docgen

_pages: dict[str, str] = {}


def on_config(config: Any) -> Any:
    rules = docgen.documented_rules()
    _pages.clear()
    _pages.update(docgen.generate_pages(rules))
    config["nav"] = _expand_rules_entry(config["nav"], docgen.nav_entries(rules))
    return config


def _expand_rules_entry(nav: Any, rule_entries: list[object]) -> Any:
    """Replace the nav item pointing at the rules index with the full section."""
    if nav is None:
        return nav
    expanded = []
    for item in nav:
        if isinstance(item, dict) and list(item.values()) == [docgen.RULES_INDEX]:
            (title,) = item
            expanded.append({title: rule_entries})
        else:
            expanded.append(item)
    return expanded


def on_files(files: Files, config: Any) -> Files:
    for path, content in _pages.items():
        files.append(File.generated(config, path, content=content))
    return files


_RUN_DIRECTIVE = re.compile(r"^<!-- copydesk-run(?P<in_repo>-in-repo)?: (?P<args>.+?) -->[ \t]*$", re.MULTILINE)
_FILE_DIRECTIVE = re.compile(r"^<!-- copydesk-file(?P<in_repo>-in-repo)?: (?P<path>.+?) -->[ \t]*$", re.MULTILINE)
_LANGUAGES = {".toml": "toml", ".md": "markdown", ".cfg": "ini", ".py": "python", ".yaml": "yaml", ".yml": "yaml"}
#: Exit codes a documented command may end with: clean, findings, error.
_DOCUMENTED_EXIT_CODES = {0, 1, 2}


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    docs = Path(config["docs_dir"])

    def run(match: re.Match[str]) -> str:
        cwd = docs.parent if match["in_repo"] else docs / "samples"
        return _console_block(match["args"], cwd, page)

    def include(match: re.Match[str]) -> str:
        path = (docs.parent if match["in_repo"] else docs / "samples") / match["path"]
        language = _LANGUAGES.get(path.suffix, "text")
        return _fenced(path.read_text(encoding="utf-8").rstrip("\n"), language)

    return _FILE_DIRECTIVE.sub(include, _RUN_DIRECTIVE.sub(run, markdown))


def _console_block(args: str, cwd: Path, page: Any) -> str:
    from click.testing import CliRunner

    from copydesk.cli import main

    argv = shlex.split(args)
    # A leading PYTHONPATH=DIR (shown as typed) makes a plugin under
    # development importable for ``--plugin``.
    extra_paths = []
    while argv and argv[0].startswith("PYTHONPATH="):
        extra_paths.append(str((cwd / argv.pop(0).partition("=")[2]).resolve()))
    if argv[:1] == ["check"]:
        # A cache directory under docs/ would be copied into the site.
        argv.insert(1, "--no-cache")
    # In-process: one import of copydesk for the whole build, not one per
    # example. CliRunner's streams are not terminals, as in a pipe.
    previous = Path.cwd()
    os.chdir(cwd)
    sys.path[:0] = extra_paths
    try:
        result = CliRunner().invoke(main, argv, env={"NO_COLOR": "1"})
    finally:
        os.chdir(previous)
        del sys.path[: len(extra_paths)]
    if result.exit_code not in _DOCUMENTED_EXIT_CODES or result.exception and not isinstance(result.exception, SystemExit):
        raise PluginError(f"{page.file.src_path}: `copydesk {args}` failed ({result.exit_code}): {result.exception!r}\n{result.output}")
    # Paths in messages are shown relative to where the command ran, not
    # to the machine that built the site.
    shown = result.output.replace(f"{cwd.resolve()}{os.sep}", "").rstrip()
    environment, command = re.match(r"((?:PYTHONPATH=\S+\s+)*)(.*)", args).groups()
    return _fenced(f"$ {environment}copydesk {command}\n{shown}", "console")


def _fenced(body: str, language: str) -> str:
    longest_run = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest_run + 1)
    return f"{fence}{language}\n{body}\n{fence}"
