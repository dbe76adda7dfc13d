"""Limits on what one ingest may bring in, each with a clear Chinese error.

A policy file is small: a 222 KB .docx holding 60 MB of XML (a zip bomb in effect) once became
29,496 clauses and stalled every later index build. Checked before parsing (file size, the
unpacked size of a .docx) and after (characters, clauses); a doc_id must fit a file name.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from errors import PolicyError

MAX_FILE_BYTES = 20 * 1024 * 1024         # the file as given
MAX_UNPACKED_BYTES = 30 * 1024 * 1024     # a .docx's XML, unzipped
MAX_DOC_CHARS = 300_000                   # the text after extraction (the largest real policy: ~60,000)
MAX_CLAUSES = 2_000                       # clauses of one document (the largest real policy: ~400)
MAX_DOC_ID_CHARS = 80                     # <doc_id>.txt must be a legal file name everywhere


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def check_file(path: Path) -> None:
    """Before reading: the file's size and, for .docx, its unpacked size."""
    size = path.stat().st_size if path.is_file() else 0
    if size > MAX_FILE_BYTES:
        raise PolicyError("file_too_large", f"文件 {path.name} 过大（{_mb(size)}），单个政策文件不能超过 {_mb(MAX_FILE_BYTES)}。")
    if path.suffix.lower() == ".docx" and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise PolicyError("file_too_large", f"文件 {path.name} 解压后过大（{_mb(unpacked)}），"
                              f"不像正常的政策文件，上限为 {_mb(MAX_UNPACKED_BYTES)}。")


def check_text(name: str, text: str) -> None:
    if len(text) > MAX_DOC_CHARS:
        raise PolicyError("text_too_long", f"文件 {name} 的文字过多（{len(text)} 字），单个政策文件不能超过 {MAX_DOC_CHARS} 字。")


def check_clauses(name: str, count: int) -> None:
    if count > MAX_CLAUSES:
        raise PolicyError("too_many_clauses", f"文件 {name} 解析出 {count} 条条款，超过单个文件 {MAX_CLAUSES} 条的上限，"
                          "请检查文件是否正确或拆分后导入。")


def check_doc_id(doc_id: str) -> None:
    if len(doc_id) > MAX_DOC_ID_CHARS:
        raise PolicyError("doc_id_too_long", f"文档编号（doc_id）过长（{len(doc_id)} 个字符），不能超过 {MAX_DOC_ID_CHARS} 个字符。")
