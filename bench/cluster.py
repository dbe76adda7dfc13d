"""N app instances as in the README's "Scaling out": one `chroma run`, one PostgreSQL (or, when
it is not installed, the SQLite file of the shared data directory), one shared data directory,
behind one loopback address (the round-robin proxy of bench/rr_proxy.py, or nginx)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from rr_proxy import RoundRobinProxy  # noqa: E402
from services import (  # noqa: E402
    ChromaServer,
    PostgresServer,
    free_port,
    postgres_bindir,
    start_app,
    stop_process,
    wait_healthy,
)

NGINX_CONF = """worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {dir}/body; proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fcgi; uwsgi_temp_path {dir}/uwsgi; scgi_temp_path {dir}/scgi;
  upstream policy_api {{ {servers} keepalive 32; }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://policy_api; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header Host $host; proxy_buffering off; proxy_read_timeout 120s;
    }}
  }}
}}
"""


@contextmanager
def nginx(backends: list[int], port: int):
    folder = Path(tempfile.mkdtemp(prefix="policy-nginx-"))
    folder.chmod(0o755)
    servers = " ".join(f"server 127.0.0.1:{b};" for b in backends)
    (folder / "nginx.conf").write_text(NGINX_CONF.format(dir=folder, servers=servers, port=port))
    proc = subprocess.Popen([shutil.which("nginx") or "/usr/sbin/nginx", "-p", str(folder), "-c",
                             str(folder / "nginx.conf"), "-g", "daemon off;"])
    time.sleep(1)
    try:
        yield
    finally:
        stop_process(proc)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def cluster(instances: int, proxy: str = "python", data_dir: str | None = None):
    """Yields (url of the one address, round-robin proxy or None) with every instance healthy."""
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="policy-cluster-") as tmp:
        chroma = ChromaServer().start()
        stack.callback(chroma.stop)
        env = {"CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": str(chroma.port),
               "POLICY_DATA_DIR": data_dir or str(Path(tmp) / "shared")}
        bindir = postgres_bindir()
        if bindir is not None:
            pg = PostgresServer(bindir).start()
            stack.callback(pg.stop)
            env["DATABASE_URL"] = pg.create_database("policy")
        ports = [free_port() for _ in range(instances)]
        for n, port in enumerate(ports):       # one at a time: the first builds the shared index
            proc = start_app(port, env, Path(tmp) / f"app{n}.log", ROOT)
            stack.callback(stop_process, proc)
            wait_healthy(f"http://127.0.0.1:{port}", proc)
        front = free_port()
        rr = None
        if proxy == "nginx":
            stack.enter_context(nginx(ports, front))
        else:
            rr = RoundRobinProxy([("127.0.0.1", p) for p in ports], front).start()
            stack.callback(rr.stop)
        print(f"{instances} instances {ports} behind http://127.0.0.1:{front} ({proxy}); "
              f"database {'PostgreSQL' if 'DATABASE_URL' in env else 'SQLite'}; cores {os.cpu_count()}",
              flush=True)
        yield f"http://127.0.0.1:{front}", rr
