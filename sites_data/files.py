"""Reading, checking and writing site files (one YAML document per site).

Every problem is reported as ``file: field: what is wrong`` so that an editor can
find and fix it without reading code.
"""

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from sites_data.schema import Site

SITES_DIR = Path(__file__).with_name("sites")


@dataclass(frozen=True)
class Problem:
    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}"


class SiteFilesError(Exception):
    """A set of site files that cannot be used; ``problems`` says why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


class _SiteLoader(yaml.SafeLoader):
    """A YAML loader for site files.

    It refuses a field written twice instead of keeping the last one, and reads
    only ``true``/``false`` as booleans (YAML 1.2), so that words like ``on``,
    ``no`` or ``yes`` stay text.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"field {key!r} is written twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_SiteLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_SiteLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def display_path(path: Path) -> str:
    """The path as the person running the command would type it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def document_digest(site: Site) -> str:
    """A fingerprint of the content, independent of how the file is laid out."""
    canonical = json.dumps(json_document(site), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _field_path(location: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in location)


_PLAIN_MESSAGES = {
    "missing": "is required but missing",
    "extra_forbidden": "is not a known field; check its spelling and indentation",
}


def validation_problems(file: str, error: ValidationError) -> list[Problem]:
    problems = []
    for detail in error.errors():
        message = _PLAIN_MESSAGES.get(detail["type"]) or detail["msg"].removeprefix("Value error, ")
        field = _field_path(detail["loc"])
        if not field:
            # Whole-document rules name their field at the start of the message.
            head, named, rest = message.partition(": ")
            field, message = (head, rest) if named else ("(file)", message)
        problems.append(Problem(file, field, message))
    return problems


def read_yaml(path: Path) -> tuple[object, list[Problem]]:
    """The YAML document in ``path``, or the problems that stop it from being read."""
    name = display_path(path)
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_SiteLoader), []
    except FileNotFoundError:
        return None, [Problem(name, "(path)", "does not exist")]
    except UnicodeDecodeError:
        return None, [Problem(name, "(file)", "is not UTF-8 text; save it as UTF-8")]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "(file)"
        reason = getattr(error, "problem", None) or str(error)
        return None, [Problem(name, where, f"not valid YAML: {reason}")]


def parse_site(file: str, document: object) -> tuple[Site | None, list[Problem]]:
    if not isinstance(document, dict):
        return None, [Problem(file, "(file)", "expected a mapping of site fields at the top level")]
    try:
        return Site.model_validate(document), []
    except ValidationError as error:
        return None, validation_problems(file, error)


def read_site_file(path: Path) -> tuple[Site | None, list[Problem]]:
    name = display_path(path)
    document, problems = read_yaml(path)
    if problems:
        return None, problems
    site, problems = parse_site(name, document)
    if site is not None and site.key != path.stem:
        problems.append(
            Problem(
                name,
                "key",
                f"is {site.key!r} but the file is named {path.name!r}; "
                "make the file name '<key>.yaml'",
            )
        )
    return site, problems


def site_paths(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(path.glob("*.yaml"))
    return [path]


def check_related(by_file: dict[str, Site], known_keys: set[str]) -> list[Problem]:
    """Every related site exists."""
    return [
        Problem(file, "related", f"names {related!r}, which is not a site key")
        for file, site in by_file.items()
        for related in site.related
        if related not in known_keys
    ]


def read_site_files(path: Path = SITES_DIR) -> list[Site]:
    """All sites under ``path`` (a folder or one file).

    Raises SiteFilesError listing every problem found, not only the first.
    """
    if not path.exists():
        raise SiteFilesError([Problem(display_path(path), "(path)", "does not exist")])
    paths = site_paths(path)
    if not paths:
        raise SiteFilesError(
            [Problem(display_path(path), "(path)", "holds no '*.yaml' site files")]
        )
    problems: list[Problem] = []
    by_file: dict[str, Site] = {}
    for file in paths:
        site, file_problems = read_site_file(file)
        problems.extend(file_problems)
        if site is not None:
            by_file[display_path(file)] = site
    counts = Counter(site.key for site in by_file.values())
    problems.extend(
        Problem(
            file, "key", f"{site.key!r} is used by {counts[site.key]} files; keys must be unique"
        )
        for file, site in by_file.items()
        if counts[site.key] > 1
    )
    related_known = {site.key for site in by_file.values()}
    if path.is_file():
        # A single file is checked against its neighbours for related keys.
        related_known |= {p.stem for p in path.parent.glob("*.yaml")}
    problems.extend(check_related(by_file, related_known))
    if problems:
        raise SiteFilesError(problems)
    return sorted(by_file.values(), key=lambda site: site.key)


class _SiteDumper(yaml.SafeDumper):
    pass


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_SiteDumper.add_representer(str, _represent_text)


def site_document(site: Site) -> dict[str, Any]:
    return site.model_dump(mode="python", exclude_none=True)


def dump_yaml(site: Site) -> str:
    return yaml.dump(
        site_document(site), Dumper=_SiteDumper, allow_unicode=True, sort_keys=False, width=100
    )


def json_document(site: Site) -> dict[str, Any]:
    return site.model_dump(mode="json", exclude_none=True)


def dump_json(sites: Site | Iterable[Site]) -> str:
    """One site as a JSON object, or several as a JSON array."""
    if isinstance(sites, Site):
        return json.dumps(json_document(sites), ensure_ascii=False, indent=2) + "\n"
    documents = [json_document(site) for site in sites]
    return json.dumps(documents, ensure_ascii=False, indent=2) + "\n"


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write a file (text as UTF-8) so that a reader never sees it half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    partial.replace(path)
