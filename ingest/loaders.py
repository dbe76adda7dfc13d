"""Read a policy file (.txt, .docx, .pdf, .html) into plain text, one paragraph a line.

Every failure a user can cause (unknown format, empty, corrupt or image-only file, no Chinese
text) is a `PolicyError` with a Chinese message, never a traceback.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from errors import PolicyError
from ingest.clauses import parse_clauses
from ingest.normalize import remove_artefacts, strip_line

_CJK = re.compile(r"[\u4e00-\u9fff]")
_TERMINAL = tuple("。！？；：!?;:")
# A line that starts a new paragraph in a PDF: numbered headings of every style we parse.
_HEADING_START = re.compile(
    r"^(第\s*[零〇一二三四五六七八九十百千两\d]+\s*[章条节]|[一二三四五六七八九十]+\s*、|[（(]\s*[一二三四五六七八九十\d]+\s*[)）]"
    r"|\d{1,2}\s*[.．、](?!\d)|[①-⑳]|附件)"
)
_PAGE_NUMBER = re.compile(r"^[-–—\s]*\d{1,4}[-–—\s]*$|^第\s*\d+\s*页(\s*共\s*\d+\s*页)?$")


def _fail(code: str, message: str) -> PolicyError:
    return PolicyError(code, message)


# ---------------------------------------------------------------- txt
def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data:
        raise ValueError("binary data in a text file")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("neither UTF-8 nor GB18030")


def _load_txt(path: Path) -> str:
    return _decode(path.read_bytes())


# ---------------------------------------------------------------- docx
def _docx_blocks(parent, container) -> Iterator[str]:
    """Paragraph texts of a docx body or table cell in document order, tables cell by cell."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in container.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield Paragraph(child, parent).text
        elif tag == "tbl":
            seen: set = set()                          # the cell elements themselves, kept alive
            for row in Table(child, parent).rows:
                for cell in row.cells:
                    if cell._tc not in seen:           # a merged cell is listed once per column
                        seen.add(cell._tc)
                        yield from _docx_blocks(cell, cell._tc)


def _load_docx(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    return "\n".join(_docx_blocks(document, document.element.body))


# ---------------------------------------------------------------- pdf
def _pdf_lines(path: Path) -> list[str]:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)   # its warnings about broken files are ours to say
    reader = PdfReader(str(path))
    if reader.is_encrypted and not reader.decrypt(""):
        raise _fail("encrypted_file", f"文件 {path.name} 已加密，无法读取（encrypted PDF）。")
    lines: list[str] = []
    for page in reader.pages:
        page_lines = [strip_line(x) for x in (page.extract_text() or "").splitlines()]
        page_lines = [x for x in page_lines if x]
        while page_lines and _PAGE_NUMBER.match(page_lines[-1]):
            page_lines.pop()
        while page_lines and _PAGE_NUMBER.match(page_lines[0]):
            page_lines.pop(0)
        lines.extend(page_lines)
    return lines


def _full_width(lines: list[str]) -> int:
    """The length of a full line of body text: lines wrapped by the layout are about this long."""
    lengths = sorted(len(x) for x in lines)
    return lengths[int(len(lengths) * 0.9)] if lengths else 0


def _join(left: str, right: str) -> str:
    needs_space = left[-1:].isascii() and left[-1:].isalnum() and right[:1].isascii() and right[:1].isalnum()
    return left + (" " if needs_space else "") + right


def join_wrapped_lines(lines: list[str]) -> str:
    """Join lines that the PDF layout wrapped inside a paragraph; keep headings on their own line.

    A line continues the previous one when the previous line is (nearly) full width and does
    not end a sentence, and the line itself does not start with a heading number.
    """
    width = _full_width(lines)
    paragraphs: list[str] = []
    prev_line = ""
    for line in lines:
        wrapped = (paragraphs and width and len(prev_line) >= 0.85 * width
                   and not prev_line.endswith(_TERMINAL) and not _HEADING_START.match(line))
        if wrapped:
            paragraphs[-1] = _join(paragraphs[-1], line)
        else:
            paragraphs.append(line)
        prev_line = line
    return "\n".join(paragraphs)


def _load_pdf(path: Path) -> str:
    return join_wrapped_lines(_pdf_lines(path))


# ---------------------------------------------------------------- html
_DROP_TAGS = ("script", "style", "nav", "header", "footer", "aside", "noscript", "form", "iframe",
              "button", "select", "template", "svg", "head")
_BLOCK_TAGS = ("p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li",
               "ul", "ol", "dl", "dt", "dd", "table", "tr", "td", "th", "caption", "blockquote",
               "pre", "center", "address", "figure", "figcaption", "hr")
_CONTENT_HINT = re.compile(r"content|article|main|text|zoom|trs_editor|detail|zw|body", re.I)
_SOFT_BREAK = "\x00"   # whitespace from HTML source line breaks: no space between Chinese characters


def _cjk_count(tag) -> int:
    return len(_CJK.findall(tag.get_text()))


def _main_container(soup):
    """The innermost <article>/<main>/content-like block holding most of the page's Chinese text."""
    body = soup.body or soup
    total = _cjk_count(body) or 1
    candidates = [t for t in body.find_all(("article", "main", "div", "section", "td"))
                  if t.name in ("article", "main")
                  or _CONTENT_HINT.search(" ".join([t.get("id") or "", *(t.get("class") or [])]))]
    holding = [t for t in candidates if _cjk_count(t) >= 0.6 * total]
    return min(holding, key=lambda t: len(t.get_text()), default=body)


def _html_text(container) -> str:
    from bs4 import NavigableString

    for node in list(container.find_all(string=True)):
        if isinstance(node, NavigableString) and re.search(r"[\r\n]", node):
            node.replace_with(re.sub(r"[ \t]*[\r\n]+[ \t]*", _SOFT_BREAK, str(node)))
    for br in container.find_all("br"):
        br.replace_with("\n")
    for tag in container.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    text = container.get_text()
    text = re.sub(rf"(?<=[\u3000-\u9fff\uff00-\uffef]){_SOFT_BREAK}+(?=[\u3000-\u9fff\uff00-\uffef])", "", text)
    text = re.sub(rf"{_SOFT_BREAK}+", " ", text)
    return "\n".join(x for x in (strip_line(line) for line in text.split("\n")) if x)


def _load_html(path: Path) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_bytes(), "lxml")
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    return _html_text(_main_container(soup))


# ---------------------------------------------------------------- entry point
_LOADERS: dict[str, Callable[[Path], str]] = {
    ".txt": _load_txt, ".docx": _load_docx, ".pdf": _load_pdf, ".html": _load_html, ".htm": _load_html,
}
SUPPORTED = tuple(_LOADERS)


def _read(path: Path) -> str:
    loader = _LOADERS.get(path.suffix.lower())
    if loader is None and path.suffix.lower() in (".doc", ".wps", ".rtf"):
        raise _fail("unsupported_format", f"暂不支持旧版 Word/WPS 格式 {path.suffix}：{path.name}，"
                    "请先另存为 .docx 再导入（save as .docx first）。")
    if loader is None:
        raise _fail("unsupported_format", f"不支持的文件格式 {path.suffix or '（无扩展名）'}：{path.name}，"
                    f"请提供 {'/'.join(SUPPORTED)} 文件（unsupported file type）。")
    if not path.is_file():
        raise _fail("file_not_found", f"找不到文件 {path}（file not found）。")
    if path.stat().st_size == 0:
        raise _fail("empty_file", f"文件 {path.name} 是空的（empty file）。")
    try:
        return loader(path)
    except PolicyError:
        raise
    except Exception as exc:  # every library has its own exceptions for broken files
        raise _fail("unreadable_file", f"无法读取文件 {path.name}：文件已损坏或与扩展名 {path.suffix} 不符"
                    f"（unreadable or corrupt file: {type(exc).__name__}）。") from exc


def load_text(path: Path | str) -> str:
    """The text of a policy file, one paragraph a line; raises PolicyError if it holds no policy text."""
    path = Path(path)
    text = remove_artefacts(_read(path)).strip()
    if not text:
        raise _fail("empty_file", f"文件 {path.name} 中没有文字内容，可能是扫描件或空文档（no text found）。")
    if not _CJK.search(text):
        raise _fail("no_chinese_text", f"文件 {path.name} 中没有中文内容，不像政策文件（no Chinese text）。")
    if not parse_clauses(path.stem, text).clauses:
        raise _fail("no_clauses", f"文件 {path.name} 中解析不出任何条款（no clauses found）。")
    return text + "\n"
