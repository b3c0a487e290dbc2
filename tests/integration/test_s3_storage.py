"""Photos on an S3 object store (moto's server standing in for it): originals private and
signed, renditions public, immutable and unsigned, and nothing left by a refused upload.

The two storages are built from the options newsroom/settings.py gives when S3 is set up,
and swapped into Photo.original and Rendition.file for each test.
"""

import importlib.util
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import User
from media import imaging, library
from media.models import Photo, Rendition
from newsroom.models import OutboxMessage
from tests.conftest import skip_or_fail
from tests.processes import free_port

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

ROOT = Path(__file__).resolve().parents[2]
REGION = "us-east-1"
SIGNED = ("X-Amz-Signature=", "Signature=")
SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<script>alert(1)</script><rect width="10" height="10"/></svg>'
)


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory):
    """A moto S3 server on a free local port, for the tests of this module."""
    try:
        import moto.server  # noqa: F401
    except ImportError:
        skip_or_fail("moto[server] is not installed (pip install 'moto[server]')")
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"moto_server did not start on port {port}:\n{log.read_text()}")
                time.sleep(0.1)
        yield endpoint
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture
def s3_client(s3_endpoint):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name=REGION,
    )


def settings_storage_options(monkeypatch, environment: dict[str, str]) -> dict[str, dict]:
    """STORAGES' OPTIONS as newsroom/settings.py builds them from this environment.

    The settings file is run again as a module of its own; Django's live settings are
    left as they are."""
    for name in ("S3_PUBLIC_DOMAIN", "S3_REGION", "S3_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location(
        "_newsroom_settings_with_s3", ROOT / "newsroom" / "settings.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {name: module.STORAGES[name]["OPTIONS"] for name in ("photos_public", "photos_private")}


@dataclass
class Buckets:
    public: str
    private: str
    public_storage: object
    private_storage: object


@pytest.fixture
def buckets(s3_endpoint, s3_client, settings, monkeypatch):
    """A fresh public and private bucket, with Photo.original and Rendition.file stored in
    them by S3Storage built with the settings' options. Renditions run in-process."""
    from storages.backends.s3 import S3Storage

    suffix = uuid.uuid4().hex[:12]
    public_bucket, private_bucket = f"photos-public-{suffix}", f"photos-private-{suffix}"
    for bucket in (public_bucket, private_bucket):
        s3_client.create_bucket(Bucket=bucket)
    options = settings_storage_options(
        monkeypatch,
        {
            "S3_PUBLIC_BUCKET": public_bucket,
            "S3_PRIVATE_BUCKET": private_bucket,
            "S3_ENDPOINT_URL": s3_endpoint,
            "S3_REGION": REGION,
            "S3_ACCESS_KEY_ID": "test",
            "S3_SECRET_ACCESS_KEY": "test",
        },
    )
    public_options, private_options = options["photos_public"], options["photos_private"]
    # What the tests below rely on, as the settings give it.
    assert public_options["querystring_auth"] is False
    assert private_options["querystring_auth"] is True
    assert public_options["file_overwrite"] is private_options["file_overwrite"] is True
    assert "immutable" in public_options["object_parameters"]["CacheControl"]
    assert public_options["endpoint_url"] == private_options["endpoint_url"] == s3_endpoint

    public, private = S3Storage(**public_options), S3Storage(**private_options)
    monkeypatch.setattr(Photo._meta.get_field("original"), "storage", private)
    monkeypatch.setattr(Rendition._meta.get_field("file"), "storage", public)
    settings.CELERY_BROKER_URL = ""
    return Buckets(public_bucket, private_bucket, public, private)


def keys(s3_client, bucket: str) -> list[str]:
    response = s3_client.list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in response.get("Contents", []))


def read_object(s3_client, bucket: str, key: str) -> tuple[bytes, dict]:
    response = s3_client.get_object(Bucket=bucket, Key=key)
    return response["Body"].read(), response


def photo_bytes(width: int = 1000, height: int = 667) -> bytes:
    """A small photo-like JPEG, different every call."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    image.paste(Image.effect_noise((width // 4, height // 4), 40).convert("RGB"), (40, 40))
    image.putpixel((0, 0), tuple(uuid.uuid4().bytes[:3]))
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def as_upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def upload(data: bytes, actor: User, capture, name: str = "photo.jpg"):
    with capture(execute=True):
        return library.upload(as_upload(data, name), actor=actor)


def test_originals_stay_private_and_renditions_are_public_and_immutable(
    buckets, s3_client, reporter, django_capture_on_commit_callbacks
):
    public_bucket, private_bucket = buckets.public, buckets.private
    data = photo_bytes()

    result = upload(data, reporter, django_capture_on_commit_callbacks)

    photo = result.photo
    assert result.created
    message = OutboxMessage.objects.get(task_name="media.make_renditions")
    assert message.status == OutboxMessage.Status.DONE, message.last_error

    # The original: private bucket, named by its content hash, the very bytes uploaded.
    digest = imaging.content_hash(data)
    original_key = f"originals/{digest[:2]}/{digest}.jpg"
    assert photo.original.name == original_key
    assert keys(s3_client, private_bucket) == [original_key]
    stored, _response = read_object(s3_client, private_bucket, original_key)
    assert stored == data
    # Readable only through a signed, expiring URL.
    original_url = photo.original.url
    assert any(marker in original_url for marker in SIGNED), original_url
    with urllib.request.urlopen(original_url, timeout=5) as response:
        assert response.read() == data

    # The renditions: public bucket only, cacheable forever, unsigned URLs.
    renditions = list(photo.renditions.order_by("spec", "format"))
    expected = imaging.render(data, imaging.wanted_specs(photo.width), focal=photo.focal_point)
    assert {(r.spec, r.format) for r in renditions} == {(f.spec, f.format) for f in expected}
    assert keys(s3_client, public_bucket) == sorted(r.file.name for r in renditions)
    assert not set(keys(s3_client, public_bucket)) & set(keys(s3_client, private_bucket))
    made = {(f.spec, f.format): f for f in expected}
    for rendition in renditions:
        body, response = read_object(s3_client, public_bucket, rendition.file.name)
        assert "immutable" in response["CacheControl"], rendition
        assert response["ContentType"] == imaging.CONTENT_TYPES[rendition.format], rendition
        url = rendition.file.url
        assert url.startswith(f"{buckets.public_storage.endpoint_url}/{public_bucket}/"), url
        assert "?" not in url
        assert not any(marker in url for marker in SIGNED), url
        # Read back through the storage: the bytes imaging makes, a picture of that size.
        with rendition.file.open("rb") as handle:
            through_storage = handle.read()
        assert through_storage == body == made[(rendition.spec, rendition.format)].data
        with Image.open(BytesIO(through_storage)) as picture:
            assert picture.format == rendition.format
            assert picture.size == (rendition.width, rendition.height)


def test_a_refused_upload_leaves_no_object_in_either_bucket(
    buckets, s3_client, reporter, django_capture_on_commit_callbacks
):
    public_bucket, private_bucket = buckets.public, buckets.private

    with pytest.raises(imaging.ImageRejected):
        upload(SVG, reporter, django_capture_on_commit_callbacks, name="drawing.svg")

    assert keys(s3_client, private_bucket) == []
    assert keys(s3_client, public_bucket) == []
    assert not Photo.objects.exists()


def test_the_same_file_uploaded_twice_is_one_object(
    buckets, s3_client, reporter, django_capture_on_commit_callbacks
):
    public_bucket, private_bucket = buckets.public, buckets.private
    data = photo_bytes()

    first = upload(data, reporter, django_capture_on_commit_callbacks)
    public_keys = keys(s3_client, public_bucket)
    second = upload(data, reporter, django_capture_on_commit_callbacks, name="again.jpg")

    assert first.created
    assert not second.created
    assert second.photo == first.photo
    digest = imaging.content_hash(data)
    assert keys(s3_client, private_bucket) == [f"originals/{digest[:2]}/{digest}.jpg"]
    assert keys(s3_client, public_bucket) == public_keys
    assert Photo.objects.count() == 1
