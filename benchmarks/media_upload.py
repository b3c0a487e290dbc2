"""Benchmark: photo upload (inspect + store) and renditions for 2 to 50 megapixel JPEGs.

Run from the project root:

    .venv/bin/python benchmarks/media_upload.py

It works in a throw-away folder (NEWSROOM_VAR_DIR, with its own SQLite database made by
`migrate`) and calls media.library.upload and media.library.make_renditions directly.

Every size is measured in a fresh subprocess (this script run again with "measure"), so
that the peak resident memory (ru_maxrss) belongs to that size alone. The orchestrating
process never imports Django or Pillow and stays small: on Linux a child started with
fork/vfork + exec inherits its parent's peak RSS, which would otherwise hide the child's
own. Each child also checks that its ru_maxrss agrees with VmHWM from /proc/self/status.
"""

import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPEATS = 3
REPORTER_EMAIL = "bench-reporter@example.com"
# Camera-like 3:2 sizes of about 2, 12, 24 and 50 megapixels.
SIZES = {
    "2mp": (1728, 1152),
    "12mp": (4256, 2832),
    "24mp": (6000, 4000),
    "50mp": (8688, 5792),
}
JPEG_QUALITY = 90
MIB = 1024 * 1024


# --- Environment and Django ------------------------------------------------------------


def child_environment(var_dir: Path) -> dict[str, str]:
    """The settings every child runs with: local mode, SQLite and the filesystem storages
    under the throw-away folder, no broker, no Redis, no S3, DEBUG off (so Django does not
    keep every query in memory)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "NEWSROOM_VAR_DIR": str(var_dir),
        "NEWSROOM_ENV": "local",
        "DEBUG": "false",
        "DATABASE_URL": "",
        "CELERY_BROKER_URL": "",
        "REDIS_URL": "",
        "S3_PUBLIC_BUCKET": "",
        "LOG_LEVEL": "WARNING",
        "PYTHONHASHSEED": "0",
    }


def setup_django() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def peak_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def vm_hwm_bytes() -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


# --- Child: setup ----------------------------------------------------------------------


def synthetic_photo(width: int, height: int) -> bytes:
    """A photo-like JPEG: smooth gradients, blotchy low-frequency texture and fine grain.
    Pure noise would compress far worse than a photo, pure gradients far better; this
    mix lands near 0.35 bytes per pixel at quality 90, like a camera JPEG."""
    from io import BytesIO

    from PIL import Image, ImageChops

    gradients = (
        Image.linear_gradient("L").rotate(90).resize((width, height)),
        Image.linear_gradient("L").resize((width, height)),
        Image.radial_gradient("L").resize((width, height)),
    )
    channels = []
    for gradient in gradients:
        texture = Image.effect_noise((max(1, width // 16), max(1, height // 16)), 48)
        texture = texture.resize((width, height), Image.Resampling.BICUBIC)
        channel = Image.blend(gradient, texture, 0.5)
        grain = Image.effect_noise((width, height), 10)
        channels.append(ImageChops.add(channel, grain, scale=1.0, offset=-128))
    buffer = BytesIO()
    Image.merge("RGB", channels).save(buffer, "JPEG", quality=JPEG_QUALITY)
    return buffer.getvalue()


def run_setup(workdir: Path) -> None:
    setup_django()
    from django.core.management import call_command

    from accounts import roles
    from accounts.models import User

    call_command("migrate", interactive=False, verbosity=0)
    user = User.objects.create_user(email=REPORTER_EMAIL, password=None)
    roles.grant_role(user, roles.Role.REPORTER, actor=None)

    (workdir / "warmup.jpg").write_bytes(synthetic_photo(96, 64))
    for name, (width, height) in SIZES.items():
        (workdir / f"{name}.jpg").write_bytes(synthetic_photo(width, height))


# --- Child: measure --------------------------------------------------------------------


def run_measure(workdir: Path, name: str) -> None:
    setup_django()
    import tracemalloc

    from django.core.files import File
    from django.core.files.storage import storages
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from media import library
    from media.models import Photo, PhotoEvent
    from newsroom.models import OutboxMessage

    reporter = User.objects.get(email=REPORTER_EMAIL)
    path = workdir / f"{name}.jpg"

    def clean_up() -> None:
        Photo.objects.all().delete()
        PhotoEvent.objects.all().delete()
        OutboxMessage.objects.all().delete()
        for storage_name in ("photos_private", "photos_public"):
            shutil.rmtree(storages[storage_name].location, ignore_errors=True)

    def timed(function, *args, measure: bool):
        """Run one step; with `measure`, also its SQL queries and its Python-heap peak."""
        if not measure:
            started = time.perf_counter()
            value = function(*args)
            return value, {"s": time.perf_counter() - started}
        queries = CaptureQueriesContext(connection)
        tracemalloc.reset_peak()
        with queries:
            started = time.perf_counter()
            value = function(*args)
            elapsed = time.perf_counter() - started
        return value, {
            "s": elapsed,
            "queries": len(queries.captured_queries),
            "traced_peak": tracemalloc.get_traced_memory()[1],
        }

    def one_run(photo_path: Path, *, measure: bool = False) -> dict:
        """upload then make_renditions, timed apart. Both run inside one outer transaction:
        otherwise upload's own commit would make the outbox run the renditions in-process
        (no broker is set) inside the upload timing. The outer commit, and the outbox's
        relay that then finds nothing left to make, are outside both timings."""
        with photo_path.open("rb") as handle, transaction.atomic():
            upload_file = File(handle, name=photo_path.name)
            result, uploaded = timed(
                partial(library.upload, actor=reporter), upload_file, measure=measure
            )
            made, rendered = timed(library.make_renditions, result.photo.pk, measure=measure)
        assert result.created, "the benchmark must upload a new photo each time"
        assert made > 0, "make_renditions made nothing"
        clean_up()
        return {
            "upload": uploaded,
            "renditions": rendered,
            "files": made,
            "width": result.photo.width,
            "height": result.photo.height,
        }

    clean_up()
    # Warm-up on a tiny photo: lazy imports, Pillow plugins and codecs load here, before
    # the baseline, so they count neither in a timing nor in the memory of the work.
    one_run(workdir / "warmup.jpg")
    baseline_rss = peak_rss_bytes()
    baseline_hwm = vm_hwm_bytes()

    runs = [one_run(path) for _ in range(REPEATS)]
    peak_rss = peak_rss_bytes()
    peak_hwm = vm_hwm_bytes()

    # One more run, not in the timings, for the Python-heap peaks and the query counts
    # (tracing slows the work down).
    tracemalloc.start()
    measured = one_run(path, measure=True)
    tracemalloc.stop()

    result = {
        "name": name,
        "width": runs[0]["width"],
        "height": runs[0]["height"],
        "file_bytes": path.stat().st_size,
        "files": runs[0]["files"],
        "upload_s": [run["upload"]["s"] for run in runs],
        "renditions_s": [run["renditions"]["s"] for run in runs],
        "baseline_rss": baseline_rss,
        "peak_rss": peak_rss,
        "baseline_hwm": baseline_hwm,
        "peak_hwm": peak_hwm,
        "upload_traced_peak": measured["upload"]["traced_peak"],
        "renditions_traced_peak": measured["renditions"]["traced_peak"],
        "upload_queries": measured["upload"]["queries"],
        "renditions_queries": measured["renditions"]["queries"],
    }
    (workdir / f"{name}.json").write_text(json.dumps(result))


# --- Parent: orchestrate and report ----------------------------------------------------


def run_child(arguments: list[str], var_dir: Path) -> None:
    subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *arguments],
        cwd=ROOT,
        env=child_environment(var_dir),
        check=True,
        timeout=300,
    )


def machine_description() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        f"{cores} cores ({model or platform.machine()}), "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def library_versions(var_dir: Path) -> str:
    # Asked of a child so that this process never loads Pillow or Django.
    code = (
        "import django, PIL, PIL.features as f; "
        "print(f'Django {django.get_version()}, Pillow {PIL.__version__}, "
        'libjpeg-turbo {f.version("jpg")}, libwebp {f.version("webp")}\')'
    )
    output = subprocess.run(
        [sys.executable, "-c", code],
        env=child_environment(var_dir),
        capture_output=True,
        text=True,
        check=True,
    )
    return output.stdout.strip()


def table(results: list[dict]) -> str:
    header = (
        "| Photo | Megapixels | JPEG size | upload (s) | make_renditions (s) "
        "| upload ms/MP | renditions ms/MP | Peak RSS over baseline "
        "| tracemalloc peak (upload / renditions) "
        "| Full RGB decode | SQL queries (upload + renditions) |"
    )
    lines = [header, "|---" * 11 + "|"]
    for result in results:
        megapixels = result["width"] * result["height"] / 1e6
        upload = statistics.median(result["upload_s"])
        renditions = statistics.median(result["renditions_s"])
        full_decode = result["width"] * result["height"] * 3
        lines.append(
            f"| {result['width']}×{result['height']} "
            f"| {megapixels:.1f} "
            f"| {result['file_bytes'] / MIB:.1f} MiB "
            f"| {upload:.3f} "
            f"| {renditions:.3f} "
            f"| {upload * 1000 / megapixels:.1f} "
            f"| {renditions * 1000 / megapixels:.1f} "
            f"| {(result['peak_rss'] - result['baseline_rss']) / MIB:.0f} MiB "
            f"| {result['upload_traced_peak'] / MIB:.0f} / "
            f"{result['renditions_traced_peak'] / MIB:.0f} MiB "
            f"| {full_decode / MIB:.0f} MiB "
            f"| {result['upload_queries']} + {result['renditions_queries']} |"
        )
    return "\n".join(lines)


def notes(results: list[dict]) -> str:
    lines = []
    for result in results:
        spread = ", ".join(
            f"{label} {min(values):.3f}–{max(values):.3f} s"
            for label, values in (
                ("upload", result["upload_s"]),
                ("renditions", result["renditions_s"]),
            )
        )
        lines.append(
            f"- {result['name']}: {result['files']} rendition files; runs {spread}; "
            f"baseline RSS {result['baseline_rss'] / MIB:.0f} MiB"
        )
        if result["baseline_hwm"] is not None and result["peak_rss"] > result["peak_hwm"]:
            lines.append(
                f"  WARNING: ru_maxrss ({result['peak_rss'] / MIB:.0f} MiB) is above VmHWM "
                f"({result['peak_hwm'] / MIB:.0f} MiB): the peak was inherited, not measured."
            )
    largest = max(results, key=lambda result: result["width"] * result["height"])
    full_decode = largest["width"] * largest["height"] * 3
    peak = largest["peak_rss"] - largest["baseline_rss"]
    lines.append(
        f"- {largest['name']}: a full-size RGB decode would take {full_decode / MIB:.0f} MiB "
        f"(width × height × 3); the whole upload + renditions peaked {peak / MIB:.0f} MiB "
        f"over baseline, {peak / full_decode:.0%} of that."
    )
    return "\n".join(lines)


def main() -> None:
    started = time.perf_counter()
    var_dir = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    try:
        print(f"Machine: {machine_description()}")
        print(f"Libraries: {library_versions(var_dir)}")
        print(f"Work folder: {var_dir}", flush=True)
        run_child(["setup", str(var_dir)], var_dir)
        results = []
        for name in SIZES:
            print(f"Measuring {name}...", flush=True)
            run_child(["measure", str(var_dir), name], var_dir)
            results.append(json.loads((var_dir / f"{name}.json").read_text()))
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    print()
    print(
        f"Median of {REPEATS} runs per size; peak memory from a fresh process per size "
        "(ru_maxrss after the work minus ru_maxrss after Django setup and a warm-up)."
    )
    print()
    print(table(results))
    print()
    print(notes(results))
    print(f"\nTotal benchmark time: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "setup":
        run_setup(Path(sys.argv[2]))
    elif len(sys.argv) == 4 and sys.argv[1] == "measure":
        run_measure(Path(sys.argv[2]), sys.argv[3])
    elif len(sys.argv) == 1:
        main()
    else:
        sys.exit("usage: benchmarks/media_upload.py")
