"""A pipeline output directory's report as a web page: ``report.md`` rendered to HTML, and its samples side by side.

The renderer knows the Markdown that ``easyds/report.py`` writes (headings, paragraphs, pipe tables, lists,
block quotes, images on a line of their own, ``**bold**``, ``*italic*``, `` `code` `` and links) and nothing more.
It is safe by construction: every piece of text is HTML-escaped first, and only the tags written here are added,
so a model output holding ``<script>`` shows as text. Images resolve only to files inside the report's directory
(``image_path``); links only to http(s) addresses, others stay text.
"""
import html
import json
import os
import re
from glob import glob

from common.data import record_key

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
IMAGE_LINE = re.compile(r"^!\[([^\]]*)\]\(([^)\s]+)\)$")
LIST_ITEM = re.compile(r"^\s*[-*]\s+")
TABLE_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")


def find_reports(directories: list) -> list:
    """``[(name, directory)]`` of every ``report.md`` in ``directories`` or their subdirectories (two levels), in
    the order given; a directory with no report raises ``FileNotFoundError``."""
    found = []
    for d in directories:
        here = [os.path.dirname(p) for pattern in ("report.md", "*/report.md", "*/*/report.md")
                for p in sorted(glob(os.path.join(glob_escape(d), pattern)))]
        if not here:
            raise FileNotFoundError(f"--runs {d}: no report.md in it or below it (run launch/pipeline.py first)")
        found += [(os.path.relpath(r, os.path.dirname(os.path.abspath(d))), r) for r in here]
    return found


def glob_escape(path: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", path)


def image_path(directory: str, relative: str):
    """The file ``relative`` names inside ``directory``, or None when it leaves it, is not an image or is absent."""
    if "\x00" in relative:
        return None
    root = os.path.realpath(directory)
    path = os.path.realpath(os.path.join(root, relative))
    if os.path.commonpath([root, path]) != root or not path.lower().endswith(IMAGE_SUFFIXES):
        return None
    return path if os.path.isfile(path) else None


def inline(text: str) -> str:
    """One line's inline Markdown as HTML; ``text`` is escaped before any tag is added."""
    out = html.escape(text, quote=True)
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    out = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", out)
    out = re.sub(r"(?<![\w*])\*([^*\s][^*]*)\*(?![\w*])", r"<em>\1</em>", out)
    link = r"\[([^\]\[]{1,300})\]\((https?://[^)\s&<]{1,500})\)"  # bounded: no quadratic backtracking
    return re.sub(link, r'<a href="\2" rel="noreferrer noopener">\1</a>', out)


def _cells(line: str) -> list:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def render_markdown(text: str, image_url) -> str:
    """``text`` (Markdown) as HTML; ``image_url(relative)`` gives an image's address, or None to leave it out."""
    lines, out, i = text.splitlines(), [], 0
    while i < len(lines):
        line = lines[i].rstrip()
        if not line.strip():
            i += 1
        elif m := re.match(r"^(#{1,4})\s+(.*)$", line):
            level = len(m.group(1))
            out.append(f"<h{level}>{inline(m.group(2))}</h{level}>")
            i += 1
        elif m := IMAGE_LINE.match(line.strip()):
            url = image_url(m.group(2))
            if url:
                out.append(f'<figure><img src="{html.escape(url, quote=True)}" alt="{html.escape(m.group(1))}">'
                           "</figure>")
            i += 1
        elif line.lstrip().startswith("|") and i + 1 < len(lines) and TABLE_RULE.match(lines[i + 1].strip()):
            head = "".join(f"<th>{inline(c)}</th>" for c in _cells(line))
            rows, i = [], i + 2
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                rows.append("<tr>" + "".join(f"<td>{inline(c)}</td>" for c in _cells(lines[i])) + "</tr>")
                i += 1
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
        elif line.startswith(">"):
            quoted = []
            while i < len(lines) and lines[i].startswith(">"):
                quoted.append(inline(lines[i][1:].strip()))
                i += 1
            out.append("<blockquote>" + "<br>".join(quoted) + "</blockquote>")
        elif LIST_ITEM.match(line):
            items = []
            while i < len(lines) and LIST_ITEM.match(lines[i]):
                items.append(f"<li>{inline(LIST_ITEM.sub('', lines[i]))}</li>")
                i += 1
            out.append(f"<ul>{''.join(items)}</ul>")
        else:
            para = []
            while i < len(lines) and lines[i].strip() and not re.match(r"^(#|>|\||\s*[-*]\s|!\[)", lines[i]):
                para.append(inline(lines[i].strip()))
                i += 1
            if not para:  # a line no other rule took (e.g. a lone "|" line): shown as text
                para, i = [inline(line)], i + 1
            out.append(f"<p>{' '.join(para)}</p>")
    return "\n".join(out)


def samples_side_by_side(directory: str, limit: int = 50) -> dict:
    """The held-out samples of every evaluated route of the report's first seed, aligned by situation:
    ``{"routes": [...], "rows": [{"prompt", "responses": {route: {"text", "rubric", "rm_score"}}}]}``; empty when
    the run kept no samples. The texts stay plain data for the page to show as text."""
    seeds = sorted(glob(os.path.join(glob_escape(directory), "seed-*", "eval")))
    if not seeds:
        return {"routes": [], "rows": []}
    routes, rows = [], {}
    for path in sorted(glob(os.path.join(glob_escape(seeds[0]), "*", "samples.jsonl")),
                       key=lambda p: ("sft", "ppo", "dpo").index(_route(p)) if _route(p) in ("sft", "ppo", "dpo")
                       else 9):
        route = _route(path)
        routes.append(route)
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                s = json.loads(line)
                row = rows.setdefault(record_key(s), {"prompt": s["prompt"], "responses": {}})
                row["responses"][route] = {"text": s["response"], "rubric": s.get("rubric_total"),
                                           "rm_score": s.get("rm_score")}
    return {"routes": routes, "rows": list(rows.values())[:limit]}


def _route(samples_path: str) -> str:
    return os.path.basename(os.path.dirname(samples_path))
