"""Files made in code for the attachment tests and the demo: no binary blob is committed."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from amdesk.attachments.demo_files import photo_jpeg, slip_pdf

__all__ = ["bomb_png", "jpeg_with_gps", "photo_jpeg", "png_with_text", "slip_pdf", "upload"]


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def jpeg_with_gps(width: int = 120, height: int = 80, orientation: int = 6) -> bytes:
    """A photo as a phone writes it: EXIF with a GPS position, the camera's make and an orientation
    (6: the sensor's picture must be turned 90° clockwise to stand upright)."""
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = orientation  # Orientation
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (30.0, 15.0, 33.0)
    gps[3] = "E"
    gps[4] = (120.0, 7.0, 48.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png_with_text() -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "客户家住西湖区某某路 8 号")
    out = io.BytesIO()
    Image.new("RGBA", (40, 30), (0, 128, 0, 255)).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def bomb_png(width: int = 60_000, height: int = 60_000) -> bytes:
    """A PNG of a few hundred bytes whose header declares 3.6 gigapixels (a decompression bomb):
    it must be refused from its header, before anything is decoded."""
    header = _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
    data = _chunk(b"IDAT", zlib.compress(b"\x00" * 1024, 9))
    return b"\x89PNG\r\n\x1a\n" + header + data + _chunk(b"IEND", b"")
