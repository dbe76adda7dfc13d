"""`app.py ingest PATH... [--manifest FILE]`: add or replace policies in the data directory."""
from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from assistant.threads import all_cores, passive_wait
from cli.common import print_json
from errors import PolicyError
from ingest.corpus import KnowledgeBase, load_knowledge_base
from ingest.publish import publish
from ingest.store import IngestItem, IngestResult, add_policies, read_manifest
from settings import Settings, load_settings

_FLAG_FIELDS = ("doc_id", "title", "region", "year", "doc_number", "issuer", "level")


def register(subparsers) -> None:
    p = subparsers.add_parser("ingest", help="导入政策文件（txt/docx/pdf/html）到数据目录",
                              description="导入或替换政策文件；先整体校验，失败时数据目录保持原样。")
    p.add_argument("paths", nargs="*", metavar="PATH", help="政策文件（.txt .docx .pdf .html）")
    p.add_argument("--manifest", help="清单表（TSV/CSV，列 file,title,region,year；路径相对清单所在目录）")
    p.add_argument("--doc-id", help="文档编号（只导入一个文件时可用；默认取文件名）")
    p.add_argument("--title", help="文件标题（默认取正文第一行）")
    p.add_argument("--region", help="地区，如 辽宁省大连市甘井子区")
    p.add_argument("--year", type=int, help="印发年份")
    p.add_argument("--doc-number", help="文号，如 豫政办〔2022〕8号")
    p.add_argument("--issuer", help="发文机关")
    p.add_argument("--level", help="层级：国家级 / 省级 / 地市级 / 区县级")
    p.add_argument("--no-index", action="store_true",
                   help="只导入，不重建检索索引（也不发布给共享数据目录的其他实例）")
    p.add_argument("--threads", type=int, default=None,
                   help=f"嵌入所用线程数（默认全部 {all_cores()} 个核心；查询始终单线程）")
    p.add_argument("--data-dir", default=None, help="数据目录（默认 ./data 或 POLICY_DATA_DIR）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    p.set_defaults(handler=run)


def _items(args: argparse.Namespace) -> list[IngestItem]:
    flags = {f: getattr(args, f) for f in _FLAG_FIELDS if getattr(args, f) not in (None, "")}
    items = read_manifest(args.manifest) if args.manifest else []
    items += [IngestItem(Path(p)) for p in args.paths]
    if not items:
        raise PolicyError("no_input", "没有要导入的文件：请给出文件路径或 --manifest 清单（nothing to ingest）。")
    if len(items) > 1 and ("doc_id" in flags or "title" in flags):
        raise PolicyError("bad_arguments", "--doc-id 和 --title 只能在导入单个文件时使用；"
                          "多个文件请用清单或元数据文件（one file only）。")
    for item in items:
        item.meta.update(flags)
    return items


def _index_builder(settings: Settings, threads: int, built: list) -> Callable[[Path], None]:
    """Build the retrieval index of the staged generation (packaged corpus + staged folder) before
    it goes live, so the server never meets policies without their index. Embeds on `threads`
    cores; the index (and the seconds it took) land in `built`."""
    def build(staging: Path) -> None:
        from assistant.retrieval import ensure_index
        from ingest.packs import load_packs, read_pack_dir

        packs = load_packs(None, extra=read_pack_dir(staging))
        start = time.perf_counter()
        index = ensure_index(settings, KnowledgeBase({d: p.document for d, p in packs.items()}),
                             progress=True, threads=threads)
        built.append((index, time.perf_counter() - start))
    return build


def _published_note(settings: Settings, threads: int, built: list) -> str:
    """Announce the new generation to every instance sharing the data directory (last step)."""
    index, seconds = built[-1]
    publish(settings.data_dir, load_knowledge_base(settings.data_dir).content_hash, index.name)
    if not index.embedded:
        return "检索索引已更新，与政策一同发布（条款均未改变，无需重新嵌入）"
    return (f"检索索引已更新，与政策一同发布（新嵌入 {index.embedded} 条，{threads} 线程，"
            f"{index.embedded / max(seconds, 1e-9):.1f} 条/秒）")


def _describe(r: IngestResult) -> str:
    action = {"data": "替换", "packaged": "覆盖内置"}.get(r.replaced or "", "新增")
    return f"{action}  {r.doc_id}  《{r.title}》  {r.region}  {r.clauses} 条"


def run(args: argparse.Namespace) -> int:
    passive_wait()
    settings = load_settings(args.data_dir)
    threads = args.threads if args.threads and args.threads > 0 else all_cores()
    built: list = []
    builder = None if args.no_index else _index_builder(settings, threads, built)
    results = add_policies(settings.data_dir, _items(args), progress=True, before_publish=builder)
    index_note = ("未重建索引（--no-index，服务启动时重建；未发布给其他实例）" if args.no_index
                  else _published_note(settings, threads, built))
    if args.json:
        print_json({"data_dir": str(settings.data_dir), "index": index_note,
                    "added": [dict(r.__dict__) for r in results]})
        return 0
    for r in results:
        kept = f"，保留已复核规则 {r.kept_reviewed} 条" if r.kept_reviewed else ""
        print(f"{_describe(r)}  起草规则 {r.drafted_rules} 条（草稿{kept}）")
    print(f"共导入 {len(results)} 份政策到 {settings.data_dir / 'packs'}；{index_note}。")
    sys.stdout.flush()
    return 0
