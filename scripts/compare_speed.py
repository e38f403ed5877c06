"""CPU seconds of reading and extracting the corpus PDFs that have a text layer on every
page, by this tree and by another (an earlier commit), alternately in fresh processes.

    git archive COMMIT src rules | tar -x -C /tmp/base
    .venv/bin/python scripts/compare_speed.py /tmp/base [--rounds 3] [--passes 3]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE = """
import sys, time
from pathlib import Path
from minutes_extract.ingest import load
from minutes_extract.pipeline import build_record
passes, paths = int(sys.argv[1]), [Path(p) for p in sys.argv[2:]]
build_record(load(paths[0]))  # load the pipeline before the clock starts
t = time.process_time()
for _ in range(passes):
    for p in paths:
        build_record(load(p))
print(time.process_time() - t)
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("base", type=Path, help="a tree with src/ and rules/ of another commit")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--passes", type=int, default=3)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from minutes_extract.pdf import scanned_pages

    pdfs = [str(p) for p in sorted((ROOT / "corpus").glob("*.pdf"))
            if not scanned_pages(p.read_bytes())]
    print(f"{len(pdfs)} PDFs, {args.passes} passes each run; CPU seconds per run")
    for k in range(args.rounds):
        for name, tree in (("other", args.base.resolve()), ("this", ROOT)):
            env = {**os.environ, "PYTHONPATH": str(tree / "src"),
                   "MINUTES_EXTRACT_RULES": str(tree / "rules")}
            done = subprocess.run([sys.executable, "-c", CODE, str(args.passes), *pdfs],
                                  env=env, capture_output=True, text=True, check=True)
            print(f"round {k + 1}  {name:5}  {float(done.stdout):6.2f} s")


if __name__ == "__main__":
    main()
