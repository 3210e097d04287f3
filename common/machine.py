"""What the machine a run is on can do, measured, for reports: nothing is sized from it (results must not depend on
the machine), but a wall time means little without the speed it was measured at."""
import time

import torch


def matmul_peak_gflops(n: int = 2048, repeats: int = 10, device: str = "cpu") -> float:
    """Best-of-repeats float32 n x n matmul rate in GFLOP/s: the ceiling a training step can approach."""
    a, b = torch.randn(n, n, device=device), torch.randn(n, n, device=device)
    a @ b  # warm-up
    best = float("inf")
    for _ in range(repeats):
        if device != "cpu":
            torch.cuda.synchronize()
        t = time.perf_counter()
        a @ b
        if device != "cpu":
            torch.cuda.synchronize()
        best = min(best, time.perf_counter() - t)
    return 2 * n**3 / best / 1e9


def describe() -> dict:
    """``{"device", "threads", "matmul_peak_gflops"}`` of this process's machine (about a second to measure)."""
    device = "cuda" if torch.cuda.is_available() else "cpu"
    name = torch.cuda.get_device_name() if device == "cuda" else "cpu"
    return {"device": name, "threads": torch.get_num_threads(),
            "matmul_peak_gflops": round(matmul_peak_gflops(device=device), 1)}
