"""What an uploaded file is, decided by its bytes, and the re-encoding of images.

The type comes from the magic bytes, never from the name or the browser's Content-Type; the name's
extension must agree with it. Accepted: JPEG, PNG, WebP (re-encoded) and PDF (kept as sent, served
only as a download). Everything else, SVG and HTML included, is refused: they can carry script.

Images are decoded by Pillow only after their declared pixel count is checked against the
setting (a few kilobytes of PNG can declare gigapixels: a decompression bomb), then turned upright
by their EXIF orientation, scaled down to the longest side allowed and written anew without any
metadata (EXIF with GPS, XMP, ICC, text chunks): what is stored is pixels only."""

import io
import os
import unicodedata
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError


@dataclass(frozen=True)
class Kind:
    code: str
    content_type: str
    extensions: tuple[str, ...]
    pillow_format: str = ""  # empty: not an image, stored as sent

    @property
    def extension(self) -> str:
        return self.extensions[0]


JPEG = Kind("jpeg", "image/jpeg", (".jpg", ".jpeg", ".jpe"), "JPEG")
PNG = Kind("png", "image/png", (".png",), "PNG")
WEBP = Kind("webp", "image/webp", (".webp",), "WEBP")
PDF = Kind("pdf", "application/pdf", (".pdf",))
KINDS = (JPEG, PNG, WEBP, PDF)
ACCEPT = ",".join([kind.content_type for kind in KINDS] + [ext for kind in KINDS for ext in kind.extensions])


@dataclass(frozen=True)
class Checked:
    kind: Kind
    data: bytes
    name: str
    width: int | None = None
    height: int | None = None


def sniff(head: bytes) -> Kind | None:
    """The kind the first bytes announce, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def clean_name(name: str, kind: Kind) -> str:
    """A display name: the last path part, no control characters, at most 150 characters."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip() or "file" + kind.extension
    stem, ext = os.path.splitext(name)
    return stem[: 150 - len(ext)] + ext


def check_upload(upload, *, max_bytes: int, max_pixels: int, max_side: int, jpeg_quality: int) -> Checked:
    """Validate an uploaded file (a Django UploadedFile or any file with .name/.size/.read) and
    return what is to be stored. Raises ValidationError({"file": …}) in the user's language."""
    size = getattr(upload, "size", None)
    if size is None or size > max_bytes:
        raise ValidationError(
            {"file": [_("The file is larger than %(mb)s MB.") % {"mb": max_bytes // (1024 * 1024)}]}
        )
    if size == 0:
        raise ValidationError({"file": [_("The file is empty.")]})
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:  # the declared size lied
        raise ValidationError(
            {"file": [_("The file is larger than %(mb)s MB.") % {"mb": max_bytes // (1024 * 1024)}]}
        )
    kind = sniff(data[:16])
    if kind is None:
        raise ValidationError(
            {"file": [_("Only JPEG, PNG or WebP images and PDF documents can be attached.")]}
        )
    ext = os.path.splitext(getattr(upload, "name", "") or "")[1].lower()
    if ext not in kind.extensions:
        raise ValidationError(
            {
                "file": [
                    _(
                        "The file's name ends in “%(ext)s” but its content is %(kind)s: "
                        "rename it or pick another file."
                    )
                    % {"ext": ext or _("nothing"), "kind": kind.code.upper()}
                ]
            }
        )
    name = clean_name(upload.name, kind)
    if not kind.pillow_format:
        if b"%%EOF" not in data[-2048:]:
            raise ValidationError({"file": [_("The PDF document is incomplete or damaged.")]})
        return Checked(kind=kind, data=data, name=name)
    return _reencode(data, kind, name, max_pixels=max_pixels, max_side=max_side, jpeg_quality=jpeg_quality)


def _reencode(
    data: bytes, kind: Kind, name: str, *, max_pixels: int, max_side: int, jpeg_quality: int
) -> Checked:
    damaged = ValidationError(
        {"file": [_("The image cannot be read: it is damaged or not really an image.")]}
    )
    too_big = ValidationError(
        {
            "file": [
                _("The image has too many pixels; the limit is %(mp)s megapixels.")
                % {"mp": max_pixels // 1_000_000}
            ]
        }
    )
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb guard as a second line (our check below is stricter and comes first).
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[kind.pillow_format]) as image:
                width, height = image.size  # from the header: nothing is decoded yet
                if width * height > max_pixels:
                    raise too_big
                image.seek(0)  # an animated PNG or WebP keeps its first frame only
                upright = ImageOps.exif_transpose(image)
                upright.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_big from None  # Pillow's own guard fired first (far beyond ours): same answer
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise damaged from None
    if max(upright.size) > max_side:
        upright.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if kind is JPEG:
        if upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        # No exif=, icc_profile= or comment=: the new file carries pixels only.
        upright.save(out, format="JPEG", quality=jpeg_quality, optimize=True)
    elif kind is PNG:
        if upright.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"):
            upright = upright.convert("RGBA")
        upright.save(out, format="PNG", optimize=True)
    else:
        if upright.mode not in ("RGB", "RGBA"):
            upright = upright.convert("RGBA" if "A" in upright.getbands() else "RGB")
        upright.save(out, format="WEBP", quality=jpeg_quality)
    return Checked(kind=kind, data=out.getvalue(), name=name, width=upright.width, height=upright.height)
