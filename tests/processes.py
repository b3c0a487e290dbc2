"""Running manage.py in a fresh process, for what is decided when settings are read."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_manage(*args: str, var_dir: Path | None = None, **variables: str):
    """manage.py with an environment holding only PATH and the given variables (no .env
    file is read). Its files go to `var_dir`, by default the test run's own folder."""
    environment = {
        "PATH": os.environ["PATH"],
        "NEWSROOM_VAR_DIR": str(var_dir or os.environ["NEWSROOM_TEST_VAR_DIR"]),
        "NEWSROOM_READ_DOTENV": "false",
        **variables,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
