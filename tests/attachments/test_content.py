"""The file check by content and the re-encoding of images (no database)."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from amdesk.attachments.services.content import check_upload
from tests.attachments.factories import bomb_png, jpeg_with_gps, photo_jpeg, png_with_text, slip_pdf, upload

LIMITS = {"max_bytes": 2 * 1024 * 1024, "max_pixels": 40_000_000, "max_side": 2560, "jpeg_quality": 85}


def check(name, data, **limits):
    return check_upload(upload(name, data), **{**LIMITS, **limits})


def messages(exc) -> str:
    return " ".join(exc.value.message_dict["file"])


def test_a_phone_photo_is_stored_upright_without_its_location_or_camera():
    # Given a phone photo with GPS, the camera's make and "turn 90°" in its EXIF
    original = jpeg_with_gps(width=120, height=80, orientation=6)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the position is there

    # When it is checked for storing
    checked = check("IMG_0001.JPG", original)

    # Then what is stored is a JPEG with no EXIF at all, turned upright (portrait now)
    stored = Image.open(io.BytesIO(checked.data))
    assert stored.format == "JPEG"
    assert dict(stored.getexif()) == {}
    assert "exif" not in stored.info and "icc_profile" not in stored.info
    assert (checked.width, checked.height) == (80, 120) == stored.size
    assert b"PhoneMaker" not in checked.data


def test_text_chunks_of_a_png_are_dropped():
    checked = check("scan.png", png_with_text())
    stored = Image.open(io.BytesIO(checked.data))
    assert stored.format == "PNG"
    assert "Comment" not in stored.info
    assert "西湖区".encode() not in checked.data


def test_a_large_photo_is_scaled_down_to_the_longest_side_allowed():
    checked = check("big.jpg", photo_jpeg(1600, 1200), max_side=800)
    assert (checked.width, checked.height) == (800, 600)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("photo.png", photo_jpeg(40, 30)),  # a JPEG named .png
        ("slip.jpg", slip_pdf()),  # a PDF named .jpg
        ("photo", photo_jpeg(40, 30)),  # no extension to agree with the content
    ],
)
def test_a_name_that_disagrees_with_the_content_is_refused(name, data):
    with pytest.raises(ValidationError) as exc:
        check(name, data)
    assert "rename it" in messages(exc) or "重命名" in messages(exc)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("page.html", b"<!doctype html><script>alert(1)</script>"),
        ("photo.jpg", b"<html><script>alert(1)</script></html>"),  # a lying extension
        ("archive.zip", b"PK\x03\x04" + b"\x00" * 40),
    ],
)
def test_svg_html_and_other_types_are_refused(name, data):
    with pytest.raises(ValidationError) as exc:
        check(name, data)
    assert "JPEG" in messages(exc)


def test_a_decompression_bomb_is_refused_from_its_header():
    data = bomb_png()
    assert len(data) < 2000
    with pytest.raises(ValidationError) as exc:
        check("bomb.png", data)
    assert "40" in messages(exc)
    # and one just past our own bound (below Pillow's) is refused the same way, before decoding
    with pytest.raises(ValidationError) as exc:
        check("bomb.png", bomb_png(8000, 6000))
    assert "40" in messages(exc)


def test_a_file_over_the_size_limit_is_refused():
    with pytest.raises(ValidationError) as exc:
        check("slip.pdf", slip_pdf(), max_bytes=100)
    assert "0 MB" in messages(exc) or "MB" in messages(exc)


def test_a_pdf_is_kept_as_sent_and_a_truncated_one_is_refused():
    pdf = slip_pdf()
    checked = check("凭条.pdf", pdf)
    assert checked.data == pdf and checked.kind.content_type == "application/pdf"
    assert checked.name == "凭条.pdf"
    with pytest.raises(ValidationError):
        check("slip.pdf", pdf[: len(pdf) // 2])


def test_a_damaged_image_is_refused_with_a_message():
    data = photo_jpeg(200, 200)
    with pytest.raises(ValidationError) as exc:
        check("photo.jpg", data[:300])
    assert messages(exc)


def test_path_parts_and_control_characters_leave_the_name():
    checked = check("..\\..\\etc/pass\x00wd\n.jpg", photo_jpeg(20, 20))
    assert checked.name == "passwd.jpg"
