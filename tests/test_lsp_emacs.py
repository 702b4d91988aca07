"""A second real editor: Emacs in batch mode with eglot and Flymake.

Emacs opens the example article with an emoji inserted before a flagged
word, eglot starts ``copydesk lsp``, and the test reads back the Flymake
diagnostics -- buffer positions Emacs computed from the server's positions
-- as (line, character) and compares them with the offsets counted here.
Skipped where Emacs or eglot (built in from Emacs 29; Debian 12:
``apt-get install emacs-nox elpa-eglot``) is not installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from copydesk.api import Session

from editor_support import EMOJI, with_emoji_before_a_finding

EMACS = shutil.which("emacs")

# Debian installs ELPA packages outside Emacs's default load-path under -Q.
LOAD_ELPA = '(dolist (dir (file-expand-wildcards "/usr/share/emacs/site-lisp/elpa/*")) (add-to-list (quote load-path) dir))'

ELISP = r"""
(require 'eglot)
(require 'json)
(setq eglot-sync-connect t)
(let* ((args (json-read-file (getenv "COPYDESK_EMACS_ARGS")))
       (article (alist-get 'article args))
       (python (alist-get 'python args)))
  (find-file article)
  (text-mode)
  (eglot (list 'text-mode) (cons 'transient (file-name-directory article)) 'eglot-lsp-server
         (list python "-m" "copydesk" "lsp") "plaintext")
  (with-timeout (60 nil)
    (while (null (flymake-diagnostics))
      (accept-process-output nil 0.1)))
  (let ((found (mapcar (lambda (d)
                         (let ((beg (flymake-diagnostic-beg d)) (end (flymake-diagnostic-end d)))
                           (vector (1- (line-number-at-pos beg))
                                   (save-excursion (goto-char beg) (- beg (line-beginning-position)))
                                   (1- (line-number-at-pos end))
                                   (save-excursion (goto-char end) (- end (line-beginning-position)))
                                   (flymake-diagnostic-text d))))
                       (flymake-diagnostics))))
    (with-temp-file (alist-get 'output args) (insert (json-encode found))))
  (kill-emacs 0))
"""


def _eglot_available() -> bool:
    if EMACS is None:
        return False
    probe = subprocess.run(
        [EMACS, "-Q", "--batch", "--eval", f"(progn {LOAD_ELPA} (require 'eglot))"],
        capture_output=True,
        timeout=60,
    )
    return probe.returncode == 0


def character_position(text: str, offset: int) -> tuple[int, int]:
    """0-based line and code-point column (Emacs counts characters) in "\\n" text."""
    before = text[:offset]
    return before.count("\n"), len(before) - (before.rfind("\n") + 1)


@pytest.mark.skipif(not _eglot_available(), reason="emacs with eglot not found (Debian: apt-get install emacs-nox elpa-eglot)")
def test_emacs_eglot_shows_diagnostics_on_the_right_characters(tmp_path: Path, seed_text: str) -> None:
    article = tmp_path / "article.txt"
    session = Session()
    text, line_start = with_emoji_before_a_finding(session, seed_text, str(article))
    article.write_text(text, encoding="utf-8")
    expected = sorted(
        (*character_position(text, d.start), *character_position(text, d.end), d.code)
        for d in session.lint_text(text, path=str(article)).diagnostics
    )

    output = tmp_path / "diagnostics.json"
    arguments = tmp_path / "arguments.json"
    arguments.write_text(json.dumps({"article": str(article), "output": str(output), "python": sys.executable}))
    script = tmp_path / "attach.el"
    script.write_text(ELISP, encoding="utf-8")
    subprocess.run(
        [EMACS or "emacs", "-Q", "--batch", "--eval", LOAD_ELPA, "-l", str(script)],
        check=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        env={**os.environ, "COPYDESK_EMACS_ARGS": str(arguments)},
    )
    shown = json.loads(output.read_text(encoding="utf-8"))
    # Flymake's text reads "copydesk [CODE]: message".
    got = sorted((line, col, end_line, end_col, message.split("[", 1)[1].split("]", 1)[0]) for line, col, end_line, end_col, message in shown)
    assert got == expected
    emoji_line = text.count("\n", 0, line_start)
    assert any(line == emoji_line and col > len(EMOJI) for line, col, *_ in got)
