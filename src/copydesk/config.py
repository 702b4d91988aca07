"""Reading copydesk's configuration, and finding it.

Configuration lives in the first of these found walking up from the linted
file's directory (the closest directory wins; within one directory the
order below decides):

* ``.copydesk.toml`` -- keys at the top level;
* ``pyproject.toml`` -- keys under ``[tool.copydesk]`` (a pyproject without
  that table is passed over, as ruff does);
* ``setup.cfg`` -- keys under ``[copydesk]``, lists separated by commas or
  new lines, tables (``per-file-ignores``, ``severity``) as ``key: value``
  lines, per-rule options in ``[copydesk.rules.NAME]`` sections.

An explicit path (``--config``) replaces discovery. Every problem -- an
unknown key, a value of the wrong type, an unknown rule, a bad option -- is
reported as a :class:`ConfigProblem`; nothing is ignored silently. Parsed
files are cached, and so is the answer for each directory searched.
"""

from __future__ import annotations

import codecs
import os
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from copydesk._record import Record, set_field

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024
DEFAULT_ENCODING = "utf-8"
DEFAULT_EXTENSIONS: tuple[str, ...] = (".txt", ".md", ".markdown")
#: Directories never worth walking into. ``exclude`` replaces this list;
#: ``extend-exclude`` adds to it.
DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".git",
    ".hg",
    ".svn",
    ".tox",
    ".nox",
    ".venv",
    "venv",
    "node_modules",
    "__pycache__",
    "build",
    "dist",
    "site-packages",
)

CONFIG_FILE_NAMES: tuple[str, ...] = (".copydesk.toml", "pyproject.toml", "setup.cfg")

_LIST_KEYS = ("select", "ignore", "extend-select", "extend-ignore", "exclude", "extend-exclude", "extensions")
_TABLE_KEYS = ("per-file-ignores", "severity", "rules")
_SCALAR_KEYS = ("max-file-size", "encoding", "rule-time-budget")
KNOWN_KEYS: frozenset[str] = frozenset(_LIST_KEYS + _TABLE_KEYS + _SCALAR_KEYS)

_SIZE = re.compile(r"^\s*(\d+)\s*([kmg]i?b?|b)?\s*$", re.IGNORECASE)
_SIZE_FACTORS = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


class ConfigProblem(Record):
    """Something wrong in a configuration file (or in overrides: ``path`` None)."""

    __slots__ = ("path", "message")
    path: str | None
    message: str

    def __init__(self, path: str | None, message: str) -> None:
        set_field(self, "path", path)
        set_field(self, "message", message)

    def describe(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message

    def __str__(self) -> str:
        return self.describe()


class Settings(Record):
    """One configuration as written, before it is matched against the rules.

    Selectors (``select``, ``ignore`` ...) stay strings here: they are
    resolved against the rule registry by :mod:`copydesk.selection`, which
    also reports the ones that name no rule.
    """

    __slots__ = (
        "path",
        "root",
        "select",
        "ignore",
        "extend_select",
        "extend_ignore",
        "per_file_ignores",
        "exclude",
        "extend_exclude",
        "extensions",
        "severity",
        "max_file_size",
        "encoding",
        "rule_time_budget",
        "rule_options",
        "problems",
        "source",
        "overridden",
        "override_label",
    )
    #: The file these settings came from; None for built-in defaults.
    path: Path | None
    #: Relative globs (``per-file-ignores``, ``exclude``) are relative to this.
    root: Path | None
    select: tuple[str, ...] | None
    ignore: tuple[str, ...]
    extend_select: tuple[str, ...]
    extend_ignore: tuple[str, ...]
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...]
    exclude: tuple[str, ...]
    extend_exclude: tuple[str, ...]
    extensions: tuple[str, ...]
    #: Selector -> severity name, in the order written.
    severity: tuple[tuple[str, str], ...]
    max_file_size: int
    encoding: str
    #: CPU seconds one rule may take on one document; 0 for no budget, None
    #: for the engine's default.
    rule_time_budget: float | None
    #: Rule code or name -> raw option values, validated by selection.
    rule_options: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]
    problems: tuple[ConfigProblem, ...]
    #: Where settings not read from a file came from (e.g. "command line").
    source: str | None
    #: Attributes replaced by overrides, and where those came from.
    overridden: tuple[str, ...]
    override_label: str | None

    def __init__(
        self,
        *,
        path: Path | None = None,
        root: Path | None = None,
        select: tuple[str, ...] | None = None,
        ignore: tuple[str, ...] = (),
        extend_select: tuple[str, ...] = (),
        extend_ignore: tuple[str, ...] = (),
        per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = (),
        exclude: tuple[str, ...] = DEFAULT_EXCLUDE,
        extend_exclude: tuple[str, ...] = (),
        extensions: tuple[str, ...] = (),
        severity: tuple[tuple[str, str], ...] = (),
        max_file_size: int = DEFAULT_MAX_FILE_SIZE,
        encoding: str = DEFAULT_ENCODING,
        rule_time_budget: float | None = None,
        rule_options: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = (),
        problems: tuple[ConfigProblem, ...] = (),
        source: str | None = None,
        overridden: tuple[str, ...] = (),
        override_label: str | None = None,
    ) -> None:
        set_field(self, "path", path)
        set_field(self, "root", root)
        set_field(self, "select", select)
        set_field(self, "ignore", ignore)
        set_field(self, "extend_select", extend_select)
        set_field(self, "extend_ignore", extend_ignore)
        set_field(self, "per_file_ignores", per_file_ignores)
        set_field(self, "exclude", exclude)
        set_field(self, "extend_exclude", extend_exclude)
        set_field(self, "extensions", extensions)
        set_field(self, "severity", severity)
        set_field(self, "max_file_size", max_file_size)
        set_field(self, "encoding", encoding)
        set_field(self, "rule_time_budget", rule_time_budget)
        set_field(self, "rule_options", rule_options)
        set_field(self, "problems", problems)
        set_field(self, "source", source)
        set_field(self, "overridden", overridden)
        set_field(self, "override_label", override_label)

    @property
    def label(self) -> str | None:
        return str(self.path) if self.path else self.source

    def label_for(self, attribute: str) -> str | None:
        """Where the value of ``attribute`` was written, for problem reports."""
        return self.override_label if attribute in self.overridden else self.label

    @property
    def suffixes(self) -> frozenset[str]:
        """File suffixes a directory walk lints (lower case, with the dot)."""
        return frozenset(DEFAULT_EXTENSIONS) | frozenset(s.lower() for s in self.extensions)

    def lints_suffix(self, path: str | os.PathLike[str]) -> bool:
        return Path(path).suffix.lower() in self.suffixes

    def is_excluded(self, path: str | os.PathLike[str]) -> bool:
        """Whether ``path`` (a file or directory) matches ``exclude``/``extend-exclude``."""
        patterns = self.exclude + self.extend_exclude
        if not patterns:
            return False
        # Computed once, not per pattern: a directory walk asks for every entry.
        relative = _relative_posix(path, self.root)
        return any(_relative_matches(pattern, relative) for pattern in patterns)

    def ignores_for(self, path: str | os.PathLike[str] | None) -> tuple[str, ...]:
        """Selectors ``per-file-ignores`` adds for ``path``."""
        if path is None:
            return ()
        found: list[str] = []
        for pattern, selectors in self.per_file_ignores:
            if path_matches(pattern, path, self.root):
                found.extend(selectors)
        return tuple(found)

    def merged(self, overrides: "Settings", override_keys: Iterable[str]) -> "Settings":
        """These settings with the keys written in ``overrides`` replacing ours.

        ``severity`` and per-rule options merge entry by entry; every other
        key is replaced whole (``select`` given on the command line replaces
        the file's ``select``; use ``extend-select`` to add).
        """
        changes: dict[str, Any] = {}
        replaced: list[str] = []
        for key in override_keys:
            attribute = key.replace("-", "_")
            if key == "severity":
                changes["severity"] = self.severity + overrides.severity
            elif key == "rules":
                changes["rule_options"] = _merge_options(self.rule_options, overrides.rule_options)
            elif key in KNOWN_KEYS:
                changes[attribute] = getattr(overrides, attribute)
                replaced.append(attribute)
        changes["problems"] = self.problems + overrides.problems
        changes["overridden"] = tuple(replaced)
        changes["override_label"] = overrides.label
        return self.replace(**changes)


def _merge_options(
    base: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...],
    extra: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...],
) -> tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]:
    merged: dict[str, dict[str, Any]] = {}
    for rule_key, values in base + extra:
        merged.setdefault(rule_key, {}).update(values)
    return tuple((key, tuple(values.items())) for key, values in merged.items())


# -- paths and globs ---------------------------------------------------------


@lru_cache(maxsize=512)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A glob as a regex: ``*`` and ``?`` stay inside one path segment,
    ``**`` crosses segments, ``[...]`` is a character class."""
    out: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
            continue
        if pattern.startswith("**", index):
            out.append(".*")
            index += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            close = pattern.find("]", index + 1)
            if close > index + 1:
                body = pattern[index + 1 : close]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                index = close + 1
                continue
            out.append(re.escape(char))
        else:
            out.append(re.escape(char))
        index += 1
    try:
        return re.compile("".join(out) + r"\Z")
    except re.error:  # e.g. a reversed range "[z-a]": reported by glob_problem, matched literally
        return re.compile(re.escape(pattern) + r"\Z")


def glob_problem(pattern: str) -> str | None:
    """Why a configured glob is not valid, or None."""
    for char_class in re.findall(r"\[([^\]]+)\]", pattern):
        body = char_class[1:] if char_class.startswith("!") else char_class
        try:
            re.compile("[" + body.replace("\\", "\\\\") + "]")
        except re.error as error:
            return f"invalid glob {pattern!r}: {error}"
    return None


def path_matches(pattern: str, path: str | os.PathLike[str], root: Path | None = None) -> bool:
    """Whether ``path`` matches a configured glob.

    A pattern without ``/`` matches any one component of the path (so
    ``drafts`` excludes every directory called drafts, ``*.md`` every
    Markdown file). A pattern with ``/`` is anchored at ``root`` (the
    configuration file's directory, or the current directory) and also
    matches everything beneath a matching directory.
    """
    return _relative_matches(pattern, _relative_posix(path, root))


def _relative_matches(pattern: str, relative: str) -> bool:
    pattern = pattern.strip().replace("\\", "/")
    if not pattern:
        return False
    if "/" not in pattern.rstrip("/"):
        regex = _glob_regex(pattern.rstrip("/"))
        return any(regex.match(part) for part in relative.split("/") if part)
    regex = _glob_regex(pattern.strip("/").removeprefix("./"))
    parts = relative.split("/")
    return any(regex.match("/".join(parts[:count])) for count in range(1, len(parts) + 1))


def _relative_posix(path: str | os.PathLike[str], root: Path | None) -> str:
    # os.path, not pathlib: this runs for every entry of a directory walk.
    absolute = os.path.abspath(path)
    base = os.path.abspath(root) if root is not None else os.getcwd()
    if absolute == base:
        return "."
    prefix = base if base.endswith(os.sep) else base + os.sep
    if absolute.startswith(prefix):
        return absolute[len(prefix) :].replace(os.sep, "/")
    return absolute.replace(os.sep, "/").lstrip("/")


# -- reading one file ---------------------------------------------------------


def load_file(path: str | os.PathLike[str]) -> Settings | None:
    """Settings from one configuration file, or None if it holds no copydesk
    section (a ``pyproject.toml`` or ``setup.cfg`` written for other tools).

    A file that cannot be read or parsed gives settings whose ``problems``
    say why, never an exception.
    """
    path = Path(path)
    label = str(path)
    try:
        if path.name == "setup.cfg" or path.suffix == ".cfg" or path.suffix == ".ini":
            table = _read_setup_cfg(path)
        else:
            table = _read_toml(path)
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        return Settings(path=path, root=path.parent, problems=(ConfigProblem(label, f"cannot read: {reason}"),))
    except _Unparsable as error:
        message = " ".join(str(error.__cause__).split())
        return Settings(path=path, root=path.parent, problems=(ConfigProblem(label, f"cannot parse: {message}"),))
    if table is None:
        return None
    return settings_from_table(table, path=path, root=path.parent)


class _Unparsable(Exception):
    """A configuration file's syntax error (the parser's own is the cause)."""


def _read_toml(path: Path) -> dict[str, Any] | None:
    # The parsers are imported only when a configuration file is read: most
    # runs find none, and they cost start-up time.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10
        import tomli as tomllib

    with path.open("rb") as handle:
        try:
            data = tomllib.load(handle)
        except tomllib.TOMLDecodeError as error:
            raise _Unparsable() from error
    if path.name == "pyproject.toml":
        tool = data.get("tool")
        if not isinstance(tool, dict) or "copydesk" not in tool:
            return None
        section = tool["copydesk"]
        return section if isinstance(section, dict) else {"": section}
    return data


_CFG_SECTION = "copydesk"
_CFG_RULE_SECTION = re.compile(r"^copydesk[.:]rules[.:](?P<rule>.+)$")


def _read_setup_cfg(path: Path) -> dict[str, Any] | None:
    import configparser

    parser = configparser.RawConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keep the case of codes
    with path.open(encoding="utf-8") as handle:
        try:
            parser.read_file(handle, source=str(path))
        except configparser.Error as error:
            raise _Unparsable() from error
    rule_sections = [s for s in parser.sections() if _CFG_RULE_SECTION.match(s)]
    if not parser.has_section(_CFG_SECTION) and not rule_sections:
        return None
    table: dict[str, Any] = {}
    if parser.has_section(_CFG_SECTION):
        for key, raw in parser.items(_CFG_SECTION):
            table[key] = _cfg_value(_normal_key(key), raw)
    rules: dict[str, Any] = {}
    for section in rule_sections:
        match = _CFG_RULE_SECTION.match(section)
        assert match is not None
        rules[match.group("rule").strip()] = {key: _CfgText(raw) for key, raw in parser.items(section)}
    if rules:
        table["rules"] = rules
    return table


class _CfgText(str):
    """An option value from setup.cfg: text, converted to the option's type
    when the rule is known (see :func:`copydesk.selection.coerce_option`)."""


def _split_list(raw: str) -> list[str]:
    return [item.strip() for item in re.split(r"[,\r\n]+", raw) if item.strip()]


def _cfg_value(key: str, raw: str) -> Any:
    if key in _LIST_KEYS:
        return _split_list(raw)
    if key in ("per-file-ignores", "severity"):
        table: dict[str, Any] = {}
        for line in re.split(r"[\r\n]+", raw):
            line = line.strip()
            if not line:
                continue
            name, colon, value = line.partition(":") if ":" in line else line.partition("=")
            if not colon:
                table[line] = _CfgText("")  # reported below as missing a value
                continue
            table[name.strip()] = _split_list(value) if key == "per-file-ignores" else value.strip()
        return table
    return raw.strip()


def _normal_key(key: str) -> str:
    return key.strip().lower().replace("_", "-")


# -- validating a table ---------------------------------------------------------


def settings_from_table(
    table: Mapping[str, Any], *, path: Path | None = None, root: Path | None = None, label: str | None = None
) -> Settings:
    """Settings from a mapping shaped like ``[tool.copydesk]``.

    Used for files and for overrides (the language server's settings, the
    command line's ``--select``; ``label`` names where those came from in
    problem reports). Keys may be written with ``-`` or ``_``.
    """
    label = str(path) if path else label
    problems: list[ConfigProblem] = []

    def problem(message: str) -> None:
        problems.append(ConfigProblem(label, message))

    values: dict[str, Any] = {}
    for raw_key, value in table.items():
        key = _normal_key(str(raw_key))
        if key not in KNOWN_KEYS:
            hint = _did_you_mean(key, KNOWN_KEYS)
            problem(f"unknown key {raw_key!r}{hint}")
            continue
        if key in _LIST_KEYS:
            items = _string_list(value)
            if items is None:
                problem(f"{key} must be a list of strings")
                continue
            if key == "extensions":
                items = [item if item.startswith(".") else f".{item}" for item in items]
            if key in ("exclude", "extend-exclude"):
                _check_globs(items, key, problem)
            values[key.replace("-", "_")] = tuple(items)
        elif key == "per-file-ignores":
            parsed = _per_file_ignores(value, problem)
            if parsed is not None:
                values["per_file_ignores"] = parsed
        elif key == "severity":
            parsed_severity = _severity_table(value, problem)
            if parsed_severity is not None:
                values["severity"] = parsed_severity
        elif key == "rules":
            if not isinstance(value, Mapping):
                problem("rules must be a table of tables, one per rule ([tool.copydesk.rules.NAME])")
                continue
            options: list[tuple[str, tuple[tuple[str, Any], ...]]] = []
            for rule_key, rule_values in value.items():
                if not isinstance(rule_values, Mapping):
                    problem(f"rules.{rule_key} must be a table of option values")
                    continue
                options.append((str(rule_key), tuple((str(k), v) for k, v in rule_values.items())))
            values["rule_options"] = tuple(options)
        elif key in _NUMBERS:
            attribute, parse, expected = _NUMBERS[key]
            number = parse(value)
            if number is None:
                problem(f"{key} must be {expected}, not {value!r}")
                continue
            values[attribute] = number
        elif key == "encoding":
            if not isinstance(value, str) or not _known_encoding(value):
                problem(f"encoding {value!r} is not an encoding Python knows")
                continue
            values["encoding"] = value.strip()
    return Settings(path=path, root=root, source=label if path is None else None, problems=tuple(problems), **values)


def _seconds(value: Any) -> float | None:
    """A non-negative number of seconds (from TOML, or text from setup.cfg)."""
    if isinstance(value, bool):
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    return seconds if 0 <= seconds < float("inf") else None


def _did_you_mean(key: str, known: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(key, sorted(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _string_list(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return _split_list(value)
    if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
        return [item.strip() for item in value if item.strip()]
    return None


def _check_globs(patterns: Iterable[str], key: str, problem: Any) -> None:
    for pattern in patterns:
        reason = glob_problem(pattern)
        if reason is not None:
            problem(f"{key}: {reason}")


def _per_file_ignores(value: Any, problem: Any) -> tuple[tuple[str, tuple[str, ...]], ...] | None:
    if not isinstance(value, Mapping):
        problem('per-file-ignores must be a table of glob = ["RULE", ...]')
        return None
    entries = []
    _check_globs([str(pattern) for pattern in value], "per-file-ignores", problem)
    for pattern, selectors in value.items():
        items = _string_list(selectors)
        if not items:
            problem(f"per-file-ignores entry {pattern!r} must list the rules to ignore")
            continue
        entries.append((str(pattern), tuple(items)))
    return tuple(entries)


def _severity_table(value: Any, problem: Any) -> tuple[tuple[str, str], ...] | None:
    from copydesk.diagnostics import Severity

    if not isinstance(value, Mapping):
        problem('severity must be a table of RULE = "error" | "warning" | "info" | "hint"')
        return None
    entries = []
    for selector, level in value.items():
        try:
            if not isinstance(level, str):
                raise ValueError(f"expected a severity name, not {level!r}")
            Severity.parse(level)
        except ValueError as error:
            problem(f"severity for {selector!r}: {error}")
            continue
        entries.append((str(selector), str(level).strip().lower()))
    return tuple(entries)


def parse_file_size(value: Any) -> int | None:
    """Bytes from ``10485760``, ``"500kB"`` or ``"10MB"``; None if not a positive size."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str):
        match = _SIZE.match(value)
        if match:
            number = int(match.group(1))
            factor = _SIZE_FACTORS[(match.group(2) or "")[:1].lower()]
            return number * factor if number > 0 else None
    return None


#: Numeric keys: the Settings attribute, the parser (None: invalid), what is expected.
_NUMBERS: dict[str, tuple[str, Callable[[Any], float | None], str]] = {
    "max-file-size": ("max_file_size", parse_file_size, 'a positive number of bytes (e.g. 10485760 or "10MB")'),
    "rule-time-budget": ("rule_time_budget", _seconds, "a number of seconds, 0 for no budget"),
}


def _known_encoding(name: str) -> bool:
    try:
        codecs.lookup(name.strip())
    except LookupError:
        return False
    return True


# -- discovery ------------------------------------------------------------------


DEFAULT_SETTINGS = Settings()


class ConfigLoader:
    """Finds and caches configuration files.

    ``for_path`` walks up from a file's directory once per directory; each
    configuration file is parsed once and re-read only when its
    modification time or size changes (the language server runs for hours
    while the user edits ``pyproject.toml``). :meth:`clear` forgets what was
    found, e.g. when a configuration file is created.
    """

    def __init__(self, explicit: Path | None = None) -> None:
        #: An explicit file (``--config``) that replaces discovery.
        self.explicit = explicit
        self._directories: dict[Path, Path | None] = {}
        self._files: dict[Path, tuple[tuple[int, int], Settings | None]] = {}

    def clear(self) -> None:
        self._directories.clear()
        self._files.clear()

    def for_path(self, path: str | os.PathLike[str] | None) -> Settings:
        """The settings that apply to a file (or, for None, the current directory)."""
        if self.explicit is not None:
            settings = self.load(self.explicit)
            if settings is None:
                label = str(self.explicit)
                message = "holds no copydesk configuration ([tool.copydesk] in pyproject.toml, [copydesk] in setup.cfg)"
                return Settings(path=self.explicit, root=self.explicit.parent, problems=(ConfigProblem(label, message),))
            return settings
        directory = Path(os.path.abspath(path)).parent if path is not None else Path.cwd()
        found = self.find(directory)
        if found is None:
            return DEFAULT_SETTINGS
        settings = self.load(found)
        return settings if settings is not None else DEFAULT_SETTINGS

    def find(self, directory: Path) -> Path | None:
        """The closest configuration file at or above ``directory``."""
        visited: list[Path] = []
        found: Path | None = None
        current = directory
        while True:
            if current in self._directories:
                found = self._directories[current]
                break
            visited.append(current)
            found = self._config_in(current)
            if found is not None:
                break
            parent = current.parent
            if parent == current:
                break
            current = parent
        for seen in visited:
            self._directories[seen] = found
        return found

    def _config_in(self, directory: Path) -> Path | None:
        for name in CONFIG_FILE_NAMES:
            candidate = directory / name
            if candidate.is_file() and self.load(candidate) is not None:
                return candidate
        return None

    def load(self, path: Path) -> Settings | None:
        path = Path(os.path.abspath(path))
        try:
            stat = path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            stamp = (-1, -1)
        cached = self._files.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        settings = load_file(path)
        self._files[path] = (stamp, settings)
        return settings
