"""A real editor: headless Neovim (0.7 or newer) with its built-in LSP client.

Neovim opens a copy of the example article in which an emoji was inserted
at the start of a line holding a flagged word, starts ``copydesk lsp`` and
attaches it; the test reads back ``vim.diagnostic.get()`` -- the byte
columns Neovim itself computed from the server's UTF-16 positions -- and
compares them with the byte offsets of the same findings counted here.
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

NVIM = shutil.which("nvim")

LUA = r"""
local args = vim.fn.json_decode(table.concat(vim.fn.readfile(os.getenv("COPYDESK_NVIM_ARGS")), "\n"))
local article, output, python = args.article, args.output, args.python
vim.cmd("edit " .. vim.fn.fnameescape(article))
local bufnr = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({
  name = "copydesk",
  cmd = { python, "-m", "copydesk", "lsp" },
  root_dir = vim.fn.fnamemodify(article, ":h"),
})
vim.lsp.buf_attach_client(bufnr, client_id)
local ok = vim.wait(60000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50)
local found = {}
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  table.insert(found, { lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
                        code = d.code, source = d.source, message = d.message })
end
local client = vim.lsp.get_client_by_id(client_id)
vim.fn.writefile({ vim.fn.json_encode({ ok = ok, encoding = client.offset_encoding, diagnostics = found }) }, output)
client.stop()
vim.cmd("qa!")
"""


def byte_position(text: str, offset: int) -> tuple[int, int]:
    """0-based line and UTF-8 byte column of an offset in "\\n"-separated text."""
    before = text[:offset]
    line = before.count("\n")
    return line, len(before[before.rfind("\n") + 1 :].encode("utf-8"))


@pytest.mark.skipif(NVIM is None, reason="nvim not found on PATH (Debian: apt-get install neovim)")
def test_neovim_shows_diagnostics_at_the_right_byte_columns(tmp_path: Path, seed_text: str) -> None:
    assert "\r" not in seed_text
    article = tmp_path / "article.txt"
    session = Session()

    text, line_start = with_emoji_before_a_finding(session, seed_text, str(article))
    article.write_text(text, encoding="utf-8")

    expected_report = session.lint_text(text, path=str(article))
    expected = sorted(
        (*byte_position(text, d.start), *byte_position(text, d.end), d.code) for d in expected_report.diagnostics
    )
    emoji_line = text.count("\n", 0, line_start)
    emoji_bytes = len(EMOJI.encode("utf-8"))
    assert any(line == emoji_line and column > emoji_bytes for line, column, *_ in expected), (
        "a finding lies after the emoji on its line"
    )

    script = tmp_path / "attach.lua"
    script.write_text(LUA, encoding="utf-8")
    output = tmp_path / "diagnostics.json"
    arguments = tmp_path / "arguments.json"
    arguments.write_text(json.dumps({"article": str(article), "output": str(output), "python": sys.executable}))
    # Paths travel through the environment and a JSON file: no quoting for Vim or Lua.
    env = {**os.environ, "COPYDESK_NVIM_ARGS": str(arguments), "COPYDESK_NVIM_SCRIPT": str(script)}
    subprocess.run(
        [NVIM or "nvim", "--headless", "-n", "-i", "NONE", "-u", "NONE", "-c", "lua dofile(os.getenv('COPYDESK_NVIM_SCRIPT'))"],
        check=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        env=env,
    )
    shown = json.loads(output.read_text(encoding="utf-8"))

    assert shown["ok"], "Neovim received no diagnostics"
    assert shown["encoding"] == "utf-16"
    got = sorted((d["lnum"], d["col"], d["end_lnum"], d["end_col"], d["code"]) for d in shown["diagnostics"])
    print("Neovim shows:", *got, sep="\n  ")
    assert got == expected
    assert {d["source"] for d in shown["diagnostics"]} == {"copydesk"}
