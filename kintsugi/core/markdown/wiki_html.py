"""Wiki HTML (Confluence, Google Docs, a static site's post page) -> Markdown for import.

Teams keep post-mortems in wikis; their HTML exports are converted here, and the Markdown
goes through the same best-effort reader as any other document (parse.read_markdown).
The conversion is markdownify's (a maintained HTML-to-Markdown library on top of
BeautifulSoup); this module only removes what is not the author's text and turns the
wikis' own structures into the Markdown forms the reader knows:

- ``<script>``, ``<style>``, comments and page chrome (Confluence's breadcrumbs, page
  metadata, attachment list and footer; macro icons) are dropped;
- Confluence task lists (``<ac:task>`` in the storage format, ``li.checked`` in the
  export) become checklists (``- [x] ...``), user mentions become ``@name``, Jira macros
  their issue key, ``<time datetime>`` its date, and macro bodies their content;
- Google Docs' ``<p class="title">`` becomes the ``# Title``, and its links, which go
  through ``https://www.google.com/url?q=...``, get their real address back;
- tables always get a header row (the first row when there is no ``<thead>``/``<th>``),
  with ``|`` escaped and line breaks as ``<br>``, as the reader expects in cells.

A leading YAML front matter block (a Jekyll post written in HTML) is kept as it is.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup, Comment, Tag
from markdownify import MarkdownConverter

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown.limits import check_size

# Elements that never hold the author's text.
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "svg", "head")
# Confluence page chrome, by id or class (the export wraps the page body in these).
_CHROME_IDS = ("breadcrumb-section", "footer", "footer-logo", "attachments", "navigation")
_CHROME_CLASSES = (
    "page-metadata",
    "confluence-information-macro-icon",
    "aui-icon",
    "expand-control",
    "toc-macro",
    "confluence-embedded-file-wrapper",
)
# Storage-format macros that are only chrome.
_CHROME_MACROS = ("toc", "children", "recently-updated", "pagetree", "anchor", "contentbylabel")
# Real pages nest a few dozen levels; the conversion recurses once per level.
_MAX_DEPTH = 400
_FRONT_MATTER = re.compile(r"\A(---[ \t]*\r?\n.*?\r?\n---[ \t]*)(?:\r?\n|\Z)", re.DOTALL)


def _converter() -> MarkdownConverter:
    return MarkdownConverter(
        heading_style="ATX",
        bullets="-",
        escape_asterisks=False,
        escape_underscores=False,
        escape_misc=False,
        autolinks=True,
    )


def html_to_markdown(html: str) -> str:
    """Markdown for the best-effort reader from a wiki's HTML export.

    Raises ValidationProblem for input over the document size limit (1 MiB), like
    Markdown: parsing cost grows with the input, so it is bounded before parsing.
    """
    check_size(len(html.encode("utf-8", errors="replace")))
    front = _FRONT_MATTER.match(html)
    head, body = (front.group(1) + "\n\n", html[front.end() :]) if front else ("", html)
    soup = BeautifulSoup(body, "html.parser")
    if _depth(soup) > _MAX_DEPTH:
        raise ValidationProblem(
            f"The HTML is nested more than {_MAX_DEPTH} levels deep; export the page again "
            "as plain HTML.",
            field="file",
        )
    _clean(soup)
    converter = _converter()
    try:
        tables = _tables(soup, converter)
        markdown = converter.convert_soup(soup)
    except RecursionError:
        raise ValidationProblem(
            "The HTML is nested too deeply to convert; export the page again as plain HTML.",
            field="file",
        ) from None
    for token, table in tables.items():
        markdown = markdown.replace(token, table)
    markdown = re.sub(r"[ \t]+\n", "\n", markdown)
    markdown = re.sub(r"\n{3,}", "\n\n", markdown).strip()
    return head + markdown + "\n"


def _depth(soup: BeautifulSoup) -> int:
    deepest = 0
    stack: list[tuple[Tag, int]] = [(soup, 0)]
    while stack:
        tag, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in tag.children if isinstance(child, Tag))
    return deepest


def _tables(soup: BeautifulSoup, converter: MarkdownConverter) -> dict[str, str]:
    """Tables as the reader reads them, converted here row by row (the library's own
    table conversion looks at every earlier row for each row, which a long table makes
    slow): a header row always (the first row when there is no ``<thead>``/``<th>``),
    ``|`` escaped, line breaks as ``<br>``. Each table is replaced by a token that the
    Markdown text gets back after conversion; inner tables are done first."""
    done: dict[str, str] = {}
    for number, table in enumerate(reversed(soup.find_all("table"))):
        rows = []
        for row in table.find_all("tr"):
            cells = [_cell(converter, cell) for cell in row.find_all(["td", "th"], recursive=False)]
            if cells:
                rows.append(cells)
        token = f"KINTSUGITABLE{number}END"
        paragraph = soup.new_tag("p")
        paragraph.string = token
        table.replace_with(paragraph)
        if not rows:
            done[token] = ""
            continue
        width = max(len(cells) for cells in rows)
        lines = ["| " + " | ".join(cells + [""] * (width - len(cells))) + " |" for cells in rows]
        lines.insert(1, "|" + "---|" * width)
        done[token] = "\n".join(lines)
    return done


def _cell(converter: MarkdownConverter, cell: Tag) -> str:
    cell.name = "span"  # its content only: the row and the separators are written here
    text = str(converter.convert_soup(cell))
    return re.sub(r"[ \t]*\n+[ \t]*", "<br>", text.strip()).replace("|", "\\|")


def _flatten(soup: BeautifulSoup) -> None:
    """Unwrap containers that hold one element and no text (Confluence nests the page
    body in many): the conversion recurses once per level, so depth is what costs."""
    for tag in soup.find_all(["div", "section", "article", "main", "span", "font"]):
        children = [child for child in tag.children if isinstance(child, Tag) or str(child).strip()]
        if len(children) == 1 and isinstance(children[0], Tag):
            tag.unwrap()


def _clean(soup: BeautifulSoup) -> None:
    for comment in soup.find_all(string=lambda text: isinstance(text, Comment)):
        comment.extract()
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    _google_docs(soup)
    _confluence_storage(soup)
    _confluence_export(soup)
    _flatten(soup)


def _google_docs(soup: BeautifulSoup) -> None:
    for paragraph in soup.find_all("p", class_="title"):
        paragraph.name = "h1"
    for paragraph in soup.find_all("p", class_="subtitle"):
        del paragraph["class"]
    for anchor in soup.find_all("a", id=re.compile(r"^cmnt\d")):
        # Reviewers' comment threads at the end of the export: not the post-mortem.
        if anchor.parent is not None:
            block = anchor.find_parent("div")
            (block or anchor).decompose()
    for link in soup.find_all("a", href=True):
        href = str(link["href"])
        parts = urlsplit(href)
        if parts.netloc.endswith("google.com") and parts.path == "/url":
            target = parse_qs(parts.query).get("q")
            if target:
                link["href"] = target[0]
        if href.startswith("#cmnt") or href.startswith("#ftnt"):
            # Reviewer comments and footnote markers: the marker is not the author's text.
            parent = link.parent
            if isinstance(parent, Tag) and parent.name == "sup":
                parent.decompose()
            elif href.startswith("#cmnt"):
                link.decompose()


def _confluence_storage(soup: BeautifulSoup) -> None:
    """The storage format (``ac:``/``ri:`` elements), as the REST API and space export
    give it."""
    for user in soup.find_all("ri:user"):
        name = user.get("ri:username") or user.get("ri:userkey") or user.get("ri:account-id")
        user.replace_with(f"@{name}" if name else "")
    for moment in soup.find_all("time"):
        value = moment.get("datetime")
        if value:
            moment.replace_with(str(value))
    for task in soup.find_all("ac:task"):
        status = task.find("ac:task-status")
        body = task.find("ac:task-body")
        done = status is not None and status.get_text(strip=True).lower() == "complete"
        item = soup.new_tag("li")
        item.append("[x] " if done else "[ ] ")
        for child in list(body.contents) if body is not None else []:
            item.append(child.extract())
        task.replace_with(item)
    for task_list in soup.find_all("ac:task-list"):
        task_list.name = "ul"
    for macro in soup.find_all("ac:structured-macro"):
        if not isinstance(macro, Tag) or macro.parent is None:
            continue
        name = str(macro.get("ac:name", "")).lower()
        if name in _CHROME_MACROS:
            macro.decompose()
            continue
        parameters = {
            str(parameter.get("ac:name", "")).lower(): parameter.get_text(strip=True)
            for parameter in macro.find_all("ac:parameter", recursive=False)
        }
        if name == "jira" and parameters.get("key"):
            macro.replace_with(parameters["key"])
            continue
        if name == "status" and parameters.get("title"):
            macro.replace_with(parameters["title"])
            continue
        code = macro.find("ac:plain-text-body")
        if code is not None:
            pre = soup.new_tag("pre")
            pre.string = code.get_text()
            macro.replace_with(pre)
            continue
        for parameter in macro.find_all("ac:parameter", recursive=False):
            parameter.decompose()
        macro.unwrap()
    for tag in soup.find_all(["ac:image", "ac:emoticon", "ac:placeholder"]):
        tag.decompose()
    for tag in soup.find_all(re.compile(r"^(?:ac|ri):")):
        tag.unwrap()  # rich-text bodies, links: keep their text


def _confluence_export(soup: BeautifulSoup) -> None:
    """The HTML export ("Export to HTML", the space export) of a rendered page."""
    for name in _CHROME_IDS:
        for tag in soup.find_all(id=name):
            tag.decompose()
    for name in _CHROME_CLASSES:
        for tag in soup.find_all(class_=name):
            tag.decompose()
    title = soup.find(id="title-text")
    if title is not None:
        text = title.get_text(" ", strip=True)
        # "Space name : Page title": the space is not part of the title.
        title.replace_with(text.split(" : ", 1)[1] if " : " in text else text)
    for cell in soup.find_all("td", class_="confluenceTh"):
        cell.name = "th"  # a header cell written as <td class="confluenceTh">
    for item in soup.select("ul.inline-task-list > li"):
        classes = item.get_attribute_list("class")
        item.insert(0, "[x] " if "checked" in classes else "[ ] ")
