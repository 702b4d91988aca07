"""The ``copydesk`` command: a thin adapter over :mod:`copydesk.api`.

Exit codes of ``copydesk check``:

* 0 -- nothing found (or ``--exit-zero``);
* 1 -- findings reported;
* 2 -- something went wrong: a usage error, a configuration problem, a file
  that could not be read (missing, binary, not valid text, empty, too
  large) or fixed, a rule that failed or a plugin that could
  not be loaded. Every other file is still linted and reported; each
  problem is one line on standard error, naming the file (or rule, or
  plugin) and the reason, without a traceback. Rule failures and plugin
  load errors are reported once per run.

Start-up is kept short: this module imports only click at the top; the
engine, the rules and the language server load when a command needs them.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from typing import TYPE_CHECKING, Any, Callable, Sequence

import click

from copydesk import __version__

if TYPE_CHECKING:
    from copydesk.api import Session
    from copydesk.files import Target
    from copydesk.runner import FileResult

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2

FORMAT_CHOICES = ("text", "json", "sarif", "github")

_EXIT_CODES_HELP = """\b
Exit codes:
  0    nothing found (or --exit-zero)
  1    findings reported
  2    usage or configuration error, a file that could not be read
       (missing, binary, not valid text, empty, too large) or fixed,
       a rule that failed or a plugin that could not be loaded
       (every other file is still linted and reported)
  130  interrupted (Ctrl-C)"""


class UsageError(click.UsageError):
    """Exit 2 with one line; click's own usage errors do the same."""


def _split_commas(_ctx: click.Context, _param: click.Parameter, values: Sequence[str]) -> tuple[str, ...] | None:
    if not values:
        return None
    items: list[str] = []
    for value in values:
        items.extend(part.strip() for part in value.split(",") if part.strip())
    return tuple(items)


def _parse_size(_ctx: click.Context, _param: click.Parameter, value: str | None) -> int | None:
    if value is None:
        return None
    from copydesk.config import parse_file_size

    size = parse_file_size(value)
    if size is None:
        raise click.BadParameter(f"{value!r} is not a size (e.g. 10485760, 500kB or 10MB)")
    return size


def _check_encoding(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    import codecs

    try:
        codecs.lookup(value)
    except LookupError:
        raise click.BadParameter(f"{value!r} is not an encoding Python knows") from None
    return value


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="copydesk", message="%(prog)s %(version)s")
def main() -> None:
    """copydesk: an editorial-quality linter for news copy.

    Finds repeated sourcing phrases, pronoun mismatches, truncated quotes and
    duplicated paragraphs, plus proselint's checks, with exact positions.
    """


# -- check ---------------------------------------------------------------------------


def _collection_paused_while_starting(command: Callable[..., None]) -> Callable[..., None]:
    """Run ``command`` with garbage collection paused until its first file
    is linted (see :func:`copydesk.runner.pause_collection`), and resumed
    however it ends."""

    @functools.wraps(command)
    def paused(*args: Any, **kwargs: Any) -> None:
        from copydesk.runner import pause_collection, resume_collection

        pause_collection()
        try:
            command(*args, **kwargs)
        finally:
            resume_collection()

    return paused


@main.command(epilog=_EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMAT_CHOICES),
    default="text",
    show_default=True,
    help="Output format. json is a stable interface (see the docs); sarif is SARIF 2.1.0 "
    "with UTF-16 columns; github writes workflow-command annotations.",
)
@click.option("--select", multiple=True, metavar="RULES", callback=_split_commas, help="Rules to run, replacing the configured selection (codes, prefixes, names, groups; comma-separated).")
@click.option("--ignore", multiple=True, metavar="RULES", callback=_split_commas, help="Rules to skip (comma-separated).")
@click.option("--extend-select", multiple=True, metavar="RULES", callback=_split_commas, help="Rules to run in addition to the selection.")
@click.option("--extend-ignore", multiple=True, metavar="RULES", callback=_split_commas, help="Rules to skip in addition to those ignored.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=str), help="Configuration file to use instead of discovering one.")
@click.option("--stdin-filename", metavar="PATH", help="Path to lint standard input ('-') as: its configuration and markup apply and output names it.")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only: no summary, no progress.")
@click.option("--color/--no-color", "colour", default=None, help="Colour the text output (default: only on a terminal, and never with NO_COLOR set).")
@click.option("--statistics", is_flag=True, help="Print counts per rule instead of each finding (text or json).")
@click.option("-o", "--output-file", type=click.Path(dir_okay=False, writable=True, path_type=str), help="Write the report to this file instead of standard output.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings are reported (errors still exit 2).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes for many files [default: all cores].")
@click.option("--no-cache", is_flag=True, help="Lint every file afresh: neither read nor write the result cache.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=str), default=None, help="Where the result cache lives [default: .copydesk_cache, or $COPYDESK_CACHE_DIR].")
@click.option("--fix", is_flag=True, help="Apply the fixes rules offer, writing files atomically; report what remains. With '-', print the fixed text.")
@click.option("--encoding", metavar="ENCODING", callback=_check_encoding, help="Encoding of the files [default: utf-8, or the configured one].")
@click.option("--max-file-size", metavar="SIZE", callback=_parse_size, help="Skip (and report) files larger than this [default: 10MB].")
@click.option("--rule-time-budget", type=click.FloatRange(min=0), metavar="SECONDS", help="CPU seconds a rule may take on a file (per million characters of a longer one) before it is reported as failing; 0 for no budget [default: 5].")
@click.option("--plugin", "plugins", multiple=True, metavar="MODULE", help="Also load the copydesk plugin in this importable module (repeatable).")
@click.option("--force-exclude", is_flag=True, help="Apply exclude patterns to files named on the command line too (for hooks that pass every changed file).")
@click.option("--respect-gitignore/--no-respect-gitignore", default=True, show_default=True, help="Skip files .gitignore ignores when walking directories.")
@click.option("--cross-file", is_flag=True, help="Also report paragraphs repeated from another file of this run (CD202 cross-file-duplicate).")
@_collection_paused_while_starting
def check(
    paths: tuple[str, ...],
    output_format: str,
    select: tuple[str, ...] | None,
    ignore: tuple[str, ...] | None,
    extend_select: tuple[str, ...] | None,
    extend_ignore: tuple[str, ...] | None,
    config_path: str | None,
    stdin_filename: str | None,
    quiet: bool,
    colour: bool | None,
    statistics: bool,
    output_file: str | None,
    exit_zero: bool,
    jobs: int | None,
    no_cache: bool,
    cache_dir: str | None,
    fix: bool,
    encoding: str | None,
    max_file_size: int | None,
    rule_time_budget: float | None,
    plugins: tuple[str, ...],
    force_exclude: bool,
    respect_gitignore: bool,
    cross_file: bool,
) -> None:
    """Lint files and directories of copy.

    PATHS are files, directories (walked for .txt, .md, .markdown and the
    configured extensions, skipping excluded and git-ignored files) or '-'
    for standard input. With no PATHS, the current directory is linted
    (standard input if --stdin-filename is given).

    Text output is one line per finding, `path:line:column: CODE [name]
    message`, sorted by position, then a summary by rule.
    """
    if statistics and output_format not in ("text", "json"):
        raise UsageError("--statistics works with --format text or json")
    if config_path is not None and not os.path.isfile(config_path):
        raise UsageError(f"--config {config_path}: no such file")
    from copydesk.runner import RunOptions

    overrides: list[tuple[str, Any]] = []
    if encoding is not None:
        overrides.append(("encoding", encoding))
    if max_file_size is not None:
        overrides.append(("max-file-size", max_file_size))
    if rule_time_budget is not None:
        overrides.append(("rule-time-budget", rule_time_budget))
    if cache_dir is None and not no_cache:
        from copydesk.cache import default_cache_dir

        cache_dir = default_cache_dir()
    if cross_file:
        # Asking for the comparison selects its rule; an ignore still wins.
        extend_select = (*(extend_select or ()), "CD202")
    options = RunOptions(
        config_path=config_path,
        select=select,
        ignore=ignore,
        extend_select=extend_select,
        extend_ignore=extend_ignore,
        overrides=tuple(overrides),
        fix=fix,
        cache_dir=None if no_cache else cache_dir,
        plugins=plugins,
    )
    session = options.make_session()
    errors = ErrorLog()
    _check_command_line(session, errors)

    if not paths:
        # As ruff does: naming standard input implies reading it.
        paths = ("-",) if stdin_filename else (".",)
    targets = _targets(paths, session, stdin_filename, force_exclude, respect_gitignore, errors)
    from copydesk.runner import default_jobs, run

    progress = Progress(len(targets), enabled=not quiet and _is_terminal(sys.stderr))
    try:
        results = run(
            targets,
            options,
            jobs=jobs or default_jobs(),
            session=session,
            progress=progress.update,
            stdin=sys.stdin.buffer if hasattr(sys.stdin, "buffer") else sys.stdin,
        )
    except KeyboardInterrupt:
        progress.finish()
        sys.stderr.write("error: interrupted\n")
        raise SystemExit(130) from None
    finally:
        progress.finish()

    _collect_errors(session, results, errors)

    linted = [result for result in results if result.error is None or result.text]
    if cross_file:
        from copydesk.crossfile import add_cross_file_diagnostics

        add_cross_file_diagnostics(linted, session=session)
    stdin_fixed = fix and any(t.stdin for t in targets)
    if stdin_fixed:
        # Standard output carries the fixed text, as an editor's filter expects.
        _write_output("".join(r.text for r, t in zip(results, targets) if t.stdin and r.error is None), None)
    use_colour = _colour(colour, output_file is None and not stdin_fixed)
    fixed = sum(result.fixed for result in results)
    report = _render(output_format, linted, session, statistics, quiet, use_colour, len(linted), fixed, errors)
    if output_file is None and stdin_fixed:
        sys.stderr.write(report)
    else:
        _write_output(report, output_file, errors)
    errors.flush()

    found = any(result.diagnostics for result in linted)
    if errors:
        raise SystemExit(EXIT_ERROR)
    raise SystemExit(EXIT_FINDINGS if found and not exit_zero else EXIT_CLEAN)


def _collect_errors(session: "Session", results: Sequence["FileResult"], errors: "ErrorLog") -> None:
    """Plugin, configuration, file and rule problems, each once; a rule
    failing in many files is one line saying how many."""
    for error in session.load_errors:
        errors.add(error.describe())
    for problem in session.problems:
        errors.add(f"configuration: {problem.describe()}")
    for result in results:
        for described in result.problems:
            errors.add(f"configuration: {described}")
    failures: dict[tuple[str, str], list[Any]] = {}
    for result in results:
        if result.error is not None:
            errors.add(f"{result.path}: {result.error}")
        for failure in result.failures:
            entry = failures.setdefault((failure.plugin, failure.code), [failure, 0, result.path])
            entry[1] += 1
    for failure, count, first_path in failures.values():
        where = f" (in {first_path})" if count == 1 else f" (in {count} files, first {first_path})"
        errors.add(failure.describe() + where)


def _check_command_line(session: "Session", errors: "ErrorLog") -> None:
    """Selectors given on the command line that name no rule are usage errors."""
    selection = session.selection_for(None)
    bad = [p for p in selection.problems if p.path == "command line"]
    if bad:
        for problem in bad:
            errors.add(problem.describe())
        errors.flush()
        raise SystemExit(EXIT_ERROR)


def _targets(
    paths: Sequence[str],
    session: "Session",
    stdin_filename: str | None,
    force_exclude: bool,
    respect_gitignore: bool,
    errors: "ErrorLog",
) -> list["Target"]:
    from copydesk.files import STDIN, Target, discover

    if paths.count(STDIN) > 1:
        raise UsageError("'-' (standard input) can be given only once")
    targets: list[Target] = []
    for item in discover(paths, session.settings_for, respect_gitignore=respect_gitignore, force_exclude=force_exclude):
        if isinstance(item, Target):
            if item.stdin:
                item = Target(stdin_filename or "-", explicit=True, stdin=True)
            targets.append(item)
        else:
            errors.add(f"{item.path}: {item.reason}")
    return targets


def _render(
    output_format: str,
    results: Sequence["FileResult"],
    session: "Session",
    statistics: bool,
    quiet: bool,
    colour: bool,
    file_count: int,
    fixed: int,
    errors: "ErrorLog",
) -> str:
    from copydesk import formats

    if statistics:
        if output_format == "json":
            return formats.format_statistics_json(results)
        return formats.format_statistics_text(results)
    if output_format == "json":
        return formats.format_json(results)
    if output_format == "sarif":
        return formats.format_sarif(results, registry=session.registry, notifications=list(errors.lines))
    if output_format == "github":
        return formats.format_github(results)
    return formats.format_text(results, colour=colour, quiet=quiet, file_count=file_count, fixed=fixed)


def _write_output(text: str, output_file: str | None, errors: "ErrorLog | None" = None) -> None:
    data = text.encode("utf-8")
    if output_file is None:
        stream = getattr(sys.stdout, "buffer", None)
        try:
            if stream is None:
                sys.stdout.write(text)
            else:
                sys.stdout.flush()
                stream.write(data)
                stream.flush()
        except BrokenPipeError:
            # The reader went away (`copydesk check | head`): stop quietly.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return
    try:
        with open(output_file, "wb") as handle:
            handle.write(data)
    except OSError as error:
        if errors is None:
            raise
        errors.add(f"{output_file}: cannot write the report: {(error.strerror or str(error)).lower()}")


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _colour(requested: bool | None, to_stdout: bool) -> bool:
    if requested is not None:
        return requested
    if os.environ.get("NO_COLOR"):
        return False
    return to_stdout and _is_terminal(sys.stdout)


class ErrorLog:
    """One-line problems for standard error, each reported once, in order."""

    def __init__(self) -> None:
        self.lines: dict[str, None] = {}
        self._flushed = 0

    def add(self, message: str) -> None:
        self.lines.setdefault(" ".join(message.split()), None)

    def __bool__(self) -> bool:
        return bool(self.lines)

    def flush(self) -> None:
        pending = list(self.lines)[self._flushed :]
        self._flushed = len(self.lines)
        if not pending:
            return
        label = click.style("error:", fg="red", bold=True) if _colour(None, True) and _is_terminal(sys.stderr) else "error:"
        for line in pending:
            sys.stderr.write(f"{label} {line}\n")
        sys.stderr.flush()


class Progress:
    """A progress bar on standard error, for long runs on a terminal only.

    It appears after half a second, so short runs print nothing extra, and
    it is erased before the report is written.
    """

    DELAY = 0.5
    INTERVAL = 0.1

    def __init__(self, total: int, *, enabled: bool) -> None:
        self.total = total
        self.enabled = enabled and total > 1
        self.started = time.monotonic()
        self.last_drawn = 0.0
        self.drawn = False

    def update(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.started < self.DELAY or (now - self.last_drawn < self.INTERVAL and done < total):
            return
        self.last_drawn = now
        width = 30
        filled = width * done // max(total, 1)
        bar = "#" * filled + "-" * (width - filled)
        sys.stderr.write(f"\rLinting [{bar}] {done}/{total} files")
        sys.stderr.flush()
        self.drawn = True

    def finish(self) -> None:
        if self.drawn:
            sys.stderr.write("\r\x1b[2K")
            sys.stderr.flush()
            self.drawn = False


# -- rules and explain -------------------------------------------------------------------------


@main.command()
@click.option("--format", "output_format", type=click.Choice(("text", "json")), default="text", show_default=True)
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=str), help="Configuration file deciding which rules are enabled.")
def rules(output_format: str, config_path: str | None) -> None:
    """List every rule: code, name, default severity, whether it is enabled
    under the configuration here, the plugin providing it, and its summary."""
    if config_path is not None and not os.path.isfile(config_path):
        raise UsageError(f"--config {config_path}: no such file")
    from copydesk.api import Session

    session = Session(config_path=config_path)
    registry = session.registry
    enabled = session.selection_for(None).codes
    errors = ErrorLog()
    for error in registry.load_errors:
        errors.add(error.describe())
    rows = list(registry)
    if output_format == "json":
        import json

        data = [
            {
                "code": rule.code,
                "name": rule.name,
                "summary": rule.summary,
                "severity": rule.severity.label,
                "enabled": rule.code in enabled,
                "enabled_by_default": rule.enabled_by_default,
                "plugin": rule.plugin,
                "group": rule.group,
                "scope": rule.scope,
                "options": [
                    {"name": o.name, "type": o.type, "default": o.default, "description": o.description}
                    for o in rule.options
                ],
            }
            for rule in rows
        ]
        _write_output(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", None)
    else:
        code_width = max((len(r.code) for r in rows), default=4)
        name_width = max((len(r.name) for r in rows), default=4)
        plugin_width = max((len(r.plugin) for r in rows), default=6)
        lines = [
            f"{'code':<{code_width}}  {'name':<{name_width}}  {'severity':<8}  {'enabled':<7}  {'plugin':<{plugin_width}}  summary"
        ]
        for rule in rows:
            mark = "yes" if rule.code in enabled else "no"
            lines.append(
                f"{rule.code:<{code_width}}  {rule.name:<{name_width}}  {rule.severity.label:<8}  {mark:<7}  "
                f"{rule.plugin:<{plugin_width}}  {rule.summary}"
            )
        _write_output("\n".join(lines) + "\n", None)
    errors.flush()
    if errors:
        raise SystemExit(EXIT_ERROR)


@main.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Print a rule's documentation (RULE is a code or a name)."""
    from copydesk.plugin.manager import load_registry

    registry = load_registry()
    found = registry.get(rule.strip())
    if found is None:
        sys.stderr.write(f"error: unknown rule {rule!r} (see `copydesk rules`)\n")
        raise SystemExit(EXIT_ERROR)
    lines = [
        f"{found.code} {found.name}: {found.summary}",
        "",
        f"Default severity: {found.severity.label}. "
        f"{'Enabled' if found.enabled_by_default else 'Not enabled'} by default. "
        f"Plugin: {found.plugin}." + (f" Group: {found.group}." if found.group else ""),
        "",
        found.documentation.strip() or "(This rule has no documentation.)",
    ]
    if found.options and "## Options" not in found.documentation:
        lines += ["", "## Options", ""]
        lines += [f"- `{o.name}` ({o.type}, default {o.default!r}): {o.description}" for o in found.options]
    _write_output("\n".join(lines).rstrip() + "\n", None)


@main.command()
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=str), default=None, help="The cache to remove [default: .copydesk_cache, or $COPYDESK_CACHE_DIR].")
def clean(cache_dir: str | None) -> None:
    """Remove the result cache. Only a directory copydesk made is removed."""
    from copydesk.cache import default_cache_dir, remove_cache

    cache_dir = cache_dir or default_cache_dir()
    try:
        removed = remove_cache(cache_dir)
    except OSError as error:
        sys.stderr.write(f"error: {cache_dir}: {(error.strerror or str(error)).lower()}\n")
        raise SystemExit(EXIT_ERROR) from None
    except ValueError as error:
        sys.stderr.write(f"error: {cache_dir}: {error}\n")
        raise SystemExit(EXIT_ERROR) from None
    _write_output(f"Removed {cache_dir}\n" if removed else f"No cache at {cache_dir}\n", None)


# -- lsp ------------------------------------------------------------------------------------------


@main.command()
@click.option("--tcp", metavar="HOST:PORT", help="Listen on a TCP socket instead of standard input/output.")
@_collection_paused_while_starting
def lsp(tcp: str | None) -> None:
    """Run the language server (stdio by default)."""
    if tcp is not None:
        _host, colon, port = tcp.rpartition(":")
        if not colon or not port.isdigit() or not 0 < int(port) < 65536:
            raise UsageError(f"--tcp {tcp!r}: expected HOST:PORT, e.g. 127.0.0.1:2087")
    try:
        from copydesk.lsp.server import serve
    except ImportError as error:
        sys.stderr.write(f"error: the language server needs pygls: pip install 'copydesk[lsp]' ({error})\n")
        raise SystemExit(EXIT_ERROR) from None
    serve(tcp=tcp)


if __name__ == "__main__":  # pragma: no cover
    main(prog_name="copydesk")
