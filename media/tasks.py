from media import library
from newsroom.tasks import task


@task("media.make_renditions")
def make_renditions(photo_id: int) -> int:
    return library.make_renditions(photo_id)
