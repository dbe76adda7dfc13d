"""Load test: 16 concurrent chats against POST /api/chat on loopback, for a bounded time.

    python bench/load_test.py [--concurrency 16] [--duration 20] [--data-dir D] [--url URL]
                              [--instances 2 [--proxy python|nginx]]

Starts `python app.py serve` on a free loopback port (unless --url points at a running server),
or, with --instances N, N instances sharing one `chroma run`, one PostgreSQL and one data directory
behind one loopback address (bench/cluster.py: a round-robin proxy, or Debian's nginx);
keeps `concurrency` conversations going (each asks a question, then a follow-up with the history),
and prints requests/s, latency percentiles and errors. Exits 1 if any request failed.
The server's rate limit is raised for the run (RATE_LIMIT), since all chats share one address.
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
CONVERSATIONS = [
    ["河南国家级专精特新小巨人企业，设备软件投资2000万元，能拿多少？", "如果投资是1200万呢？"],
    ["佛山企业购买上云服务，合同金额80万元，服务券能补多少？", "单个服务商最多能拿多少？"],
    ["湖南对工控安全有什么支持？", "需要什么条件？"],
    ["我们是河南的头雁企业，重点技改项目设备投资8000万", "那小巨人企业呢？投资同样是8000万"],
    ["河南和湖南对工业互联网平台分别有什么支持？", "河南的平台奖补怎么分期拨付？"],
    ["河南“机器换人”示范项目整机购置投资1500万元，补助多少？", "投资800万呢？"],
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: str | None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("API_KEYS", "WECHAT_TOKEN")}
    env.update(RATE_LIMIT="1000000/minute", GRADIO_ANALYTICS_ENABLED="False")
    cmd = [sys.executable, "app.py", "serve", "--host", "127.0.0.1", "--port", str(port)]
    if data_dir:
        cmd += ["--data-dir", data_dir]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit("服务器未能启动")


class Results:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors: list[str] = []

    def add(self, seconds: float, error: str | None) -> None:
        with self.lock:
            (self.errors.append(error) if error else self.latencies.append(seconds))


def chat_worker(url: str, worker: int, stop_at: float, results: Results) -> None:
    """One user: converse turn by turn (history included) until the time is up."""
    with httpx.Client(base_url=url, timeout=60) as client:
        n = worker
        while time.monotonic() < stop_at:
            history: list[dict] = []
            for question in CONVERSATIONS[n % len(CONVERSATIONS)]:
                history.append({"role": "user", "content": question})
                start = time.perf_counter()
                try:
                    resp = client.post("/api/chat", json={"messages": history})
                    ok = resp.status_code == 200 and resp.json().get("answer")
                    error = None if ok else f"HTTP {resp.status_code}: {resp.text[:200]}"
                except httpx.HTTPError as err:
                    resp, error = None, f"{type(err).__name__}: {err}"
                results.add(time.perf_counter() - start, error)
                if error or time.monotonic() >= stop_at:
                    break
                history.append({"role": "assistant", "content": resp.json()["answer"]})
            n += 1


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def report(results: Results, elapsed: float, concurrency: int) -> int:
    lat = sorted(results.latencies)
    total = len(lat) + len(results.errors)
    print(f"机器：{os.cpu_count()} 核 CPU；并发对话 {concurrency}；持续 {elapsed:.1f} 秒")
    print(f"请求数 {total}，成功 {len(lat)}，错误 {len(results.errors)}")
    if lat:
        print(f"吞吐 {len(lat) / elapsed:.1f} 请求/秒；延迟 p50 {percentile(lat, 50) * 1000:.0f} ms，"
              f"p95 {percentile(lat, 95) * 1000:.0f} ms，最大 {lat[-1] * 1000:.0f} ms")
    for error in results.errors[:5]:
        print("错误：", error)
    return 1 if results.errors or not lat else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="并发对话压测 /api/chat")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--duration", type=float, default=20.0, help="秒")
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--url", default=None, help="已运行的服务器地址（不另起服务器）")
    parser.add_argument("--instances", type=int, default=1, help="实例数（>1 时共享 Chroma 服务与数据库）")
    parser.add_argument("--proxy", choices=["python", "nginx"], default="python", help="多实例前的统一地址")
    args = parser.parse_args(argv)
    if args.instances > 1:
        from cluster import cluster

        with cluster(args.instances, args.proxy, args.data_dir) as (url, rr):
            code = run_load(url, args.concurrency, args.duration)
            if rr is not None:
                print("各实例连接数：", dict(sorted(rr.connections.items())))
            return code
    proc, url = (None, args.url.rstrip("/")) if args.url else start_server(args.data_dir)
    try:
        return run_load(url, args.concurrency, args.duration)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=15)


def run_load(url: str, concurrency: int, duration: float) -> int:
    results, start = Results(), time.monotonic()
    stop_at = start + duration
    threads = [threading.Thread(target=chat_worker, args=(url, i, stop_at, results))
               for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return report(results, time.monotonic() - start, concurrency)


if __name__ == "__main__":
    sys.exit(main())
