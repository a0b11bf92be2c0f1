"""The long fuzz run (``make fuzz``): many mutated files through the command, and the resource
cases, with counts.

Mutated files (``tests/fuzz/cases.py``) are validated in batches by ``python -m dicomstd validate
--format jsonl --jobs N``, each batch under a deadline. Counted:

* cases — files validated;
* exceptions — ``internal-error`` or ``worker-died`` results, and batches whose output is not
  valid JSON Lines or whose exit status is neither 0 nor 1 (counted per file of the batch);
* hangs — files that do not finish within the deadline when validated alone;
* lost results — files of a batch without a result line.

Then each resource case (a 4 GB sparse Pixel Data, 1,000,000 empty items, a 1 MB deflate bomb)
is validated in a process of its own, whose peak resident memory is read from ``wait4``.

Exit status 0 when every count is 0 and every peak is under the goal, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fuzz.cases import PEAK_SCRIPT, RESOURCE_CASES, peak_of, random_case  # noqa: E402

RSS_GOAL_MB = 200
_FAULTS = frozenset({"internal-error", "worker-died"})


def _command(files: list[Path], jobs: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "dicomstd",
        "validate",
        "--format",
        "jsonl",
        "--jobs",
        str(jobs),
        *map(str, files),
    ]


def _batch(files: list[Path], jobs: int, deadline: float, counts: Counter[str]) -> None:
    counts["cases"] += len(files)
    try:
        done = subprocess.run(
            _command(files, jobs), capture_output=True, timeout=deadline, check=False
        )
    except subprocess.TimeoutExpired:
        for path in files:  # which of them hangs: each alone
            _alone(path, deadline, counts)
        return
    if done.returncode not in (0, 1):
        counts["exceptions"] += len(files)
        counts["bad exit status"] += 1
        print(f"exit {done.returncode}: {done.stderr.decode(errors='replace')[-500:]}")
        return
    try:
        # JSON Lines are separated by "\n" alone: a string may hold U+2028 or U+0085.
        text = done.stdout.decode("utf-8")
        lines = [json.loads(line) for line in text.split("\n") if line]
    except ValueError as error:
        counts["exceptions"] += len(files)
        counts["invalid JSON"] += 1
        _KEPT.mkdir(parents=True, exist_ok=True)
        (_KEPT / f"{time.time_ns()}-report.jsonl").write_bytes(done.stdout)
        print(f"invalid JSON Lines: {error}")
        return
    results = {line["path"]: line for line in lines if "path" in line}
    for path in files:
        result = results.get(str(path))
        if result is None:
            counts["lost results"] += 1
            continue
        faults = [f for f in result["findings"] if f["code"] in _FAULTS]
        if faults:
            counts["exceptions"] += 1
            print(f"{faults[0]['code']}: {faults[0]['message'][:300]}")
            _keep(path)


def _alone(path: Path, deadline: float, counts: Counter[str]) -> None:
    try:
        subprocess.run(_command([path], 1), capture_output=True, timeout=deadline, check=False)
    except subprocess.TimeoutExpired:
        counts["hangs"] += 1
        print(f"hang: {path}")
        _keep(path)


_KEPT = ROOT / "build" / "fuzz-failures"


def _keep(path: Path) -> None:
    """A failing input, kept for a regression test."""
    _KEPT.mkdir(parents=True, exist_ok=True)
    (_KEPT / f"{time.time_ns()}-{path.name}").write_bytes(path.read_bytes())


def mutated_cases(total: int, batch: int, jobs: int, seed: int, deadline: float) -> Counter[str]:
    counts: Counter[str] = Counter()
    rng = random.Random(seed)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="dicomstd-fuzz-") as folder:
        done = 0
        while done < total:
            size = min(batch, total - done)
            files = []
            for index in range(size):
                path = Path(folder) / f"case{index:05d}.dcm"
                path.write_bytes(random_case(rng))
                files.append(path)
            _batch(files, jobs, deadline, counts)
            done += size
            rate = done / max(time.monotonic() - started, 1e-9)
            print(f"{done}/{total} cases, {rate:.0f}/s, {dict(counts)}", flush=True)
    return counts


def resource_cases() -> dict[str, tuple[int, float, str]]:
    """Each case's peak RSS (MB), seconds and result, validated in a process of its own."""
    peaks: dict[str, tuple[int, float, str]] = {}
    with tempfile.TemporaryDirectory(prefix="dicomstd-resources-") as folder:
        for name, make in RESOURCE_CASES.items():
            path = Path(folder) / "case.dcm"
            make(path)
            started = time.monotonic()
            done = subprocess.run(
                [sys.executable, "-c", PEAK_SCRIPT, str(path)],
                capture_output=True,
                text=True,
                check=False,
            )
            seconds = time.monotonic() - started
            if done.returncode != 0:
                peaks[name] = (10**9, seconds, done.stderr.strip()[-200:])
            else:
                megabytes, result = peak_of(done.stdout)
                peaks[name] = (megabytes, seconds, result[:200])
            path.unlink()
    return peaks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--deadline", type=float, default=600.0, help="seconds per batch")
    args = parser.parse_args()
    counts = mutated_cases(args.cases, args.batch, args.jobs, args.seed, args.deadline)
    peaks = resource_cases()
    print("\nmutated files")
    for key in ("cases", "exceptions", "hangs", "lost results"):
        print(f"  {key:14} {counts[key]}")
    for key in sorted(set(counts) - {"cases", "exceptions", "hangs", "lost results"}):
        print(f"  {key:14} {counts[key]}")
    print(f"resource cases (peak RSS, goal < {RSS_GOAL_MB} MB)")
    for name, (megabytes, seconds, result) in peaks.items():
        print(f"  {name:24} {megabytes:5d} MB {seconds:6.1f} s  {result}")
    failed = any(counts[key] for key in ("exceptions", "hangs", "lost results")) or any(
        megabytes >= RSS_GOAL_MB for megabytes, _, _ in peaks.values()
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
